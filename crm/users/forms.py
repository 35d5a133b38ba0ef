"""Forms for the admin's user pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from crm.common.validators import Email, StrippedStringField
from crm.models import Role
from crm.users.services import UserData


class UserForm(FlaskForm):
    name = StrippedStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = StrippedStringField(_l("Email"), validators=[DataRequired(), Length(max=254), Email()],
                                render_kw={"type": "email", "autocomplete": "off"})
    role = SelectField(_l("Role"), default=Role.MANAGER.value,
                       description=_l("Viewers read; managers also add and edit; administrators also manage users."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()

    def to_data(self) -> UserData:
        return UserData(email=self.email.data, name=self.name.data, role=Role(self.role.data))


class NewUserForm(UserForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 12 characters. Give it to the person in a safe way."))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 12 characters."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


class TwoFactorPolicyForm(FlaskForm):
    required = BooleanField(_l("Require two-factor sign-in for administrators and managers"))
