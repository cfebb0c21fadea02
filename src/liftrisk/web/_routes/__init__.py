"""Routers of the web app, one per area: uploads, pages, sign-in, downloads, JSON API."""
