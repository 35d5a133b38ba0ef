"""The upload form, the column mapping (one choice per column of the file) and the import confirmation."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField

from crm.imports.kinds import KINDS


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), default="investors")
    file = FileField(_l("File (CSV or Excel .xlsx)"), validators=[FileRequired(_l("Choose a file."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(name, kind.title) for name, kind in KINDS.items()]


def mapping_form(batch, formdata=None):
    """A form with a select per column of the file, pre-set to the saved (or automatic) mapping."""
    kind = KINDS[batch.kind]

    class MappingForm(FlaskForm):
        pass

    for index, header in enumerate(batch.headers):
        label = header or _l("Column %(n)s", n=index + 1)
        setattr(MappingForm, f"column_{index}", SelectField(label, default=batch.mapping[index]))
    form = MappingForm(formdata=formdata) if formdata is not None else MappingForm()
    form.columns = [form[f"column_{index}"] for index in range(len(batch.headers))]
    for column in form.columns:
        column.choices = [("", _l("Leave out"))] + [(f.name, f.label) for f in kind.fields]
    return form


class CommitForm(FlaskForm):
    policy = RadioField(_l("Rows that are likely duplicates of a record in the CRM"), default="skip")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy.choices = [("skip", _l("Leave them out")),
                               ("update", _l("Update the record each one matches with the row's values")),
                               ("create", _l("Add them as new records all the same"))]
