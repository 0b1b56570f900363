"""Lots: the mass balance of their loads, the exact version an approval signs, and the offline approval
packet and decision files. Pure code; the services in ``inspector.services.lots`` use it."""
