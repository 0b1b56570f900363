"""The demo yard: accounts, suppliers, loads through every stage, lots, approvals and certificates, built
through the same services a person uses (``yard-inspector demo``, the screenshots, the demo tests).
Nothing outside the demo and its callers imports this package; its passwords are the demo's alone."""
