"""WebSocket URL routes of every app, combined in asgi.py."""

from backend.directory.routing import websocket_urlpatterns as directory_ws
from backend.incidents.routing import websocket_urlpatterns as incidents_ws

websocket_urlpatterns = [*directory_ws, *incidents_ws]
