"""The cluster's shared vocabularies: therapeutic areas, modalities, development stages, rounds."""
from flask_babel import lazy_gettext as _l

from crm.models.base import LabelledEnum


class TherapeuticArea(LabelledEnum):
    SOLID_TUMOURS = "solid_tumours"
    HAEMATOLOGICAL = "haematological"
    IMMUNO_ONCOLOGY = "immuno_oncology"
    PRECISION_ONCOLOGY = "precision_oncology"
    PAEDIATRIC = "paediatric"
    RARE_CANCERS = "rare_cancers"
    EARLY_DETECTION = "early_detection"
    SUPPORTIVE_CARE = "supportive_care"

    @classmethod
    def labels(cls):
        return {
            cls.SOLID_TUMOURS: _l("Solid tumours"),
            cls.HAEMATOLOGICAL: _l("Haematological cancers"),
            cls.IMMUNO_ONCOLOGY: _l("Immuno-oncology"),
            cls.PRECISION_ONCOLOGY: _l("Precision oncology"),
            cls.PAEDIATRIC: _l("Paediatric oncology"),
            cls.RARE_CANCERS: _l("Rare cancers"),
            cls.EARLY_DETECTION: _l("Early detection and screening"),
            cls.SUPPORTIVE_CARE: _l("Supportive and palliative care"),
        }


class Modality(LabelledEnum):
    SMALL_MOLECULE = "small_molecule"
    ANTIBODY = "antibody"
    CELL_THERAPY = "cell_therapy"
    VACCINE = "vaccine"
    RADIOPHARMACEUTICAL = "radiopharmaceutical"
    DIAGNOSTIC = "diagnostic"
    MEDTECH = "medtech"
    DIGITAL = "digital"

    @classmethod
    def labels(cls):
        return {
            cls.SMALL_MOLECULE: _l("Small molecule"),
            cls.ANTIBODY: _l("Antibody"),
            cls.CELL_THERAPY: _l("Cell therapy"),
            cls.VACCINE: _l("Vaccine"),
            cls.RADIOPHARMACEUTICAL: _l("Radiopharmaceutical"),
            cls.DIAGNOSTIC: _l("Diagnostic"),
            cls.MEDTECH: _l("Medtech"),
            cls.DIGITAL: _l("Digital health"),
        }


class DevelopmentStage(LabelledEnum):
    DISCOVERY = "discovery"
    PRECLINICAL = "preclinical"
    PHASE_1 = "phase_1"
    PHASE_2 = "phase_2"
    PHASE_3 = "phase_3"
    APPROVED = "approved"

    @classmethod
    def labels(cls):
        return {
            cls.DISCOVERY: _l("Discovery"),
            cls.PRECLINICAL: _l("Preclinical"),
            cls.PHASE_1: _l("Phase I"),
            cls.PHASE_2: _l("Phase II"),
            cls.PHASE_3: _l("Phase III"),
            cls.APPROVED: _l("Approved"),
        }


class RoundKind(LabelledEnum):
    PRE_SEED = "pre_seed"
    SEED = "seed"
    SERIES_A = "series_a"
    SERIES_B = "series_b"
    SERIES_C = "series_c"
    BRIDGE = "bridge"
    GRANT = "grant"

    @classmethod
    def labels(cls):
        return {
            cls.PRE_SEED: _l("Pre-seed"),
            cls.SEED: _l("Seed"),
            cls.SERIES_A: _l("Series A"),
            cls.SERIES_B: _l("Series B"),
            cls.SERIES_C: _l("Series C"),
            cls.BRIDGE: _l("Bridge"),
            cls.GRANT: _l("Grant"),
        }
