"""The ORM models, one module per aggregate; import them from here."""
from crm.models.agreement import ConfidentialityAgreement
from crm.models.api_token import ApiToken
from crm.models.audit import AuditAction, AuditEntry
from crm.models.calendar_feed import CalendarFeed
from crm.models.contact import Contact, LegalBasis
from crm.models.deal import BOARD_STAGES, OPEN_STAGES, PIPELINE_STAGES, Deal, DealStage, DealStageChange, PassReason
from crm.models.event import Event, event_investors, event_startups
from crm.models.exchange_rate import ExchangeRate
from crm.models.followup import FollowUp
from crm.models.import_batch import ImportBatch, ImportRow, ImportStatus, RowAction
from crm.models.investor import NORWAY, FocusDimension, Investor, InvestorFocus, InvestorKind, InvestorStatus
from crm.models.meeting import (Meeting, MeetingKind, meeting_contacts, meeting_investors, meeting_staff,
                                meeting_startups)
from crm.models.note import Note
from crm.models.profile import (ConfidentialItem, ConfidentialItemKind, ProfileField, ProfileFieldSetting,
                                StartupProfile, Visibility)
from crm.models.share_link import ShareLink, ShareLinkStatus, ShareView, token_digest
from crm.models.startup import IncubatorStatus, Startup
from crm.models.taxonomy import DevelopmentStage, Modality, RoundKind, TherapeuticArea
from crm.models.session import AppSetting, RecoveryCode, UserSession
from crm.models.user import Role, User

__all__ = [
    "AuditAction", "AuditEntry", "LegalBasis", "AppSetting", "RecoveryCode", "UserSession",
    "Contact", "BOARD_STAGES", "OPEN_STAGES", "PIPELINE_STAGES", "Deal", "DealStage", "DealStageChange", "PassReason",
    "ExchangeRate", "NORWAY", "FocusDimension", "Investor", "InvestorFocus", "InvestorKind", "InvestorStatus",
    "Meeting", "MeetingKind", "meeting_contacts", "meeting_investors", "meeting_staff", "meeting_startups",
    "IncubatorStatus", "Startup", "DevelopmentStage", "Modality", "RoundKind", "TherapeuticArea",
    "Role", "User", "ConfidentialityAgreement", "ConfidentialItem", "ConfidentialItemKind", "ProfileField",
    "ProfileFieldSetting", "StartupProfile", "Visibility", "ShareLink", "ShareLinkStatus", "ShareView", "token_digest",
    "CalendarFeed", "Event", "event_investors", "event_startups", "FollowUp", "Note",
    "ApiToken", "ImportBatch", "ImportRow", "ImportStatus", "RowAction",
]
