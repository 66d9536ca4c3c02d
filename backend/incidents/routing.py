from django.urls import path

from .consumers import BoardConsumer, IncidentConsumer

websocket_urlpatterns = [
    path("ws/incidents/<int:incident_id>/", IncidentConsumer.as_asgi()),
    path("ws/board/", BoardConsumer.as_asgi()),
]
