"""The ORM models, one module per aggregate; import them from here."""
from crm.models.audit import AuditAction, AuditEntry
from crm.models.contact import Contact, LegalBasis
from crm.models.investor import NORWAY, FocusDimension, Investor, InvestorFocus, InvestorKind, InvestorStatus
from crm.models.meeting import (Meeting, MeetingKind, meeting_contacts, meeting_investors, meeting_staff,
                                meeting_startups)
from crm.models.startup import IncubatorStatus, Startup
from crm.models.taxonomy import DevelopmentStage, Modality, RoundKind, TherapeuticArea
from crm.models.session import AppSetting, RecoveryCode, UserSession
from crm.models.user import Role, User

__all__ = [
    "AuditAction", "AuditEntry", "LegalBasis", "AppSetting", "RecoveryCode", "UserSession",
    "Contact", "NORWAY", "FocusDimension", "Investor", "InvestorFocus", "InvestorKind", "InvestorStatus",
    "Meeting", "MeetingKind", "meeting_contacts", "meeting_investors", "meeting_staff", "meeting_startups",
    "IncubatorStatus", "Startup", "DevelopmentStage", "Modality", "RoundKind", "TherapeuticArea",
    "Role", "User",
]
