"""Fixtures for the fetch-stage tests: a threaded HTTP server on 127.0.0.1, fast settings."""

from __future__ import annotations

import pytest
from fetch_helpers import make_settings
from pytest_httpserver import HTTPServer


@pytest.fixture(scope="module")
def _module_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def server(_module_server):
    """A fresh 127.0.0.1 server per test; unknown paths (robots.txt included) answer 404."""
    _module_server.clear()
    _module_server.no_handler_status_code = 404
    yield _module_server
    _module_server.clear()


@pytest.fixture
def settings():
    return make_settings()
