"""The asyncio internal the fan-out relies on (backend/incidents/inline_drive.py): a canary
that fails first if a Python release changes the Future protocol."""

from __future__ import annotations

import asyncio

from backend.incidents import inline_drive


def test_a_coroutine_that_does_not_wait_finishes_in_one_step():
    got = []

    async def handler():
        got.append(1)

    assert inline_drive.finished(inline_drive.start(handler()))
    assert got == [1]


def test_a_coroutine_that_waits_on_a_future_is_finished_like_a_task_would():
    async def scenario():
        future = asyncio.get_running_loop().create_future()
        got = []

        async def handler():
            got.append(await future)
            await asyncio.sleep(0)  # a bare yield, too
            got.append("after")

        coro = handler()
        awaited = inline_drive.start(coro)
        assert awaited is future and future._asyncio_future_blocking is True
        task = asyncio.get_running_loop().create_task(inline_drive.finish(coro, awaited))
        await asyncio.sleep(0)
        assert got == []
        future.set_result("value")
        await asyncio.wait_for(task, 2)
        assert got == ["value", "after"]

    asyncio.run(scenario())


def test_an_exception_set_on_the_future_reaches_the_coroutine():
    async def scenario():
        future = asyncio.get_running_loop().create_future()
        caught = []

        async def handler():
            try:
                await future
            except OSError as exc:
                caught.append(str(exc))

        coro = handler()
        awaited = inline_drive.start(coro)
        task = asyncio.get_running_loop().create_task(inline_drive.finish(coro, awaited))
        future.set_exception(OSError("closed"))
        await asyncio.wait_for(task, 2)
        assert caught == ["closed"]

    asyncio.run(scenario())
