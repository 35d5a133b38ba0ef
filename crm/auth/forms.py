"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from crm.common.language import LANGUAGES


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                                 description=_l("At least 12 characters."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))])
    submit = SubmitField(_l("Change password"))


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("The 6-digit code from your authenticator app, or a recovery code."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    next = HiddenField()


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class EnableTwoFactorForm(FlaskForm):
    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("Code from the app"), validators=[DataRequired(), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class LanguageForm(FlaskForm):
    """The language switch in the navigation: one button per language, ``next`` the page to return to."""

    language = SelectField(_l("Language"), validators=[DataRequired()])
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(LANGUAGES.items())
