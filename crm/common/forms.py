"""Forms every feature uses."""
from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for a POST-only button (delete, deactivate)."""
