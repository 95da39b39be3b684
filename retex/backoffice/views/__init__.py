"""Back office pages for running a consultation, one module per area."""
