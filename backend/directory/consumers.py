"""Presence on the duty desk: who is connected, and a server→client push channel.

The first socket of the system. Signed-in users join the group "directory.desk"; the server
pushes notices through the channel layer (e.g. roster changes) and a client may `ping`.
Later apps follow the same pattern (permission in connect(), groups named after objects).
"""

from __future__ import annotations

from .sockets import GuardedJsonConsumer

DESK_GROUP = "directory.desk"


class DeskConsumer(GuardedJsonConsumer):
    async def connect(self):
        user = await self.session_user()
        if user is None:
            # Accept, then close with 4401: a client can tell "log in again" from a network
            # failure and stop reconnecting (a close before accept is a bare HTTP 403).
            await self.accept()
            await self.close(code=4401)
            return
        await self.channel_layer.group_add(DESK_GROUP, self.channel_name)
        await self.accept()
        self.start_watch(user)
        await self.send_json({"type": "hello", "user": user.username})

    async def disconnect(self, code):
        await super().disconnect(code)
        await self.channel_layer.group_discard(DESK_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "echo": content.get("echo")})
        else:
            await self.send_error("unknown message type")

    async def desk_notice(self, event):
        await self.send_json({"type": "notice", "text": event["text"]})
