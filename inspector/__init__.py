"""Yard Inspector core: classification, weighing, storage, security and certificates. Never imports Qt."""

import warnings

# The one home of the version: pyproject.toml reads it from here when the package is built.
__version__ = "0.1.0"

# pyHanko 0.38 imports cryptography's DSA key type when it is imported, which cryptography 51 deprecates;
# nothing of ours uses DSA. Ignored here, for every program that imports the core, by its exact message
# and module. pytest puts its own "error" in front of this, so pyproject.toml repeats it for the tests.
# Drop both when a pyHanko release no longer imports the DSA type.
warnings.filterwarnings("ignore", message="DSA is deprecated and support will be removed",
                        module=r"pyhanko\.sign\.signers\.pdf_cms")
