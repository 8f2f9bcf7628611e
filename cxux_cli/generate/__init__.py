"""`cxux generate`: deterministic demo raw data following the raw contract."""

from cxux_cli.generate.runner import generate_raw

__all__ = ["generate_raw"]
