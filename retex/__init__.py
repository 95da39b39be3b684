"""Retex: calls for testimonials and shared experience feedback between local governments."""
