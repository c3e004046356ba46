"""ViciDial's callback URLs: kinds, vocabulary, URL builders, parsers, receiver, serving and router.

Imports only the standard library, aiohttp and pydantic, so it works in any asyncio program.
"""
