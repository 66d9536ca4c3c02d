"""Models of 一河一策一图: rivers and what lies along them, pollutants, response plans, filings."""

from .boundaries import RiverAreaStretch
from .filings import EnterprisePlanFiling
from .pollutants import Pollutant, PollutantCategory, WaterClass
from .response import Measure, ResponsePlan, TaskTemplate
from .rivers import River, RiverFeature

__all__ = [
    "EnterprisePlanFiling",
    "Measure",
    "Pollutant",
    "PollutantCategory",
    "ResponsePlan",
    "River",
    "RiverAreaStretch",
    "RiverFeature",
    "TaskTemplate",
    "WaterClass",
]
