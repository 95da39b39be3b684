"""What every form of Retex shares, public or back office."""

from django import forms


def describe_fields(form: forms.BaseForm) -> None:
    """aria-describedby for each single input: its hint, its counter and its error, matching
    the ids that `core/includes/field.html` writes."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
            continue
        ids = []
        if field.help_text:
            ids.append(f"id_{name}_helptext")
        if "data-counter" in field.widget.attrs:
            ids.append(f"id_{name}_counter")
        if form.is_bound and form.errors.get(name):
            ids.append(f"id_{name}_error")
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
        else:
            field.widget.attrs.pop("aria-describedby", None)
