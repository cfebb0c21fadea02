"""liftrisk.web: the web app (`create_app`, `WebSettings`; run it with ``liftrisk serve``).

Implementation modules are private (``_middleware``, ``_pool``, ``_plots``, ``_routes``);
`liftrisk.web.uploads` holds the upload checks (also used by the bad-input tests).
"""

from liftrisk.web.app import create_app
from liftrisk.web.settings import WebSettings

__all__ = ["create_app", "WebSettings"]
