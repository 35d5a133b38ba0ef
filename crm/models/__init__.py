"""The ORM models, one module per aggregate; import them from here."""
from crm.models.contact import Contact
from crm.models.deal import BOARD_STAGES, OPEN_STAGES, PIPELINE_STAGES, Deal, DealStage, DealStageChange, PassReason
from crm.models.exchange_rate import ExchangeRate
from crm.models.investor import NORWAY, FocusDimension, Investor, InvestorFocus, InvestorKind, InvestorStatus
from crm.models.meeting import (Meeting, MeetingKind, meeting_contacts, meeting_investors, meeting_staff,
                                meeting_startups)
from crm.models.startup import IncubatorStatus, Startup
from crm.models.taxonomy import DevelopmentStage, Modality, RoundKind, TherapeuticArea
from crm.models.user import Role, User

__all__ = [
    "Contact", "BOARD_STAGES", "OPEN_STAGES", "PIPELINE_STAGES", "Deal", "DealStage", "DealStageChange", "PassReason",
    "ExchangeRate", "NORWAY", "FocusDimension", "Investor", "InvestorFocus", "InvestorKind", "InvestorStatus",
    "Meeting", "MeetingKind", "meeting_contacts", "meeting_investors", "meeting_staff", "meeting_startups",
    "IncubatorStatus", "Startup", "DevelopmentStage", "Modality", "RoundKind", "TherapeuticArea",
    "Role", "User",
]
