"""Forms and fields every feature uses."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for a POST-only button (delete, deactivate)."""


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a grid of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
