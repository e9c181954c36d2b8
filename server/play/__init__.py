"""The members' play page (/play): launch links, the Telegram Web App path, the page's routes.

``links`` signs and reads launch links, ``telegram`` checks a Web App's ``initData``,
``exchange`` turns either into a player token, ``routes`` serves the page with its
Content-Security-Policy, and ``static/`` holds the page itself (plain HTML, CSS and JavaScript
modules, no build step). docs/play.md describes the whole path.
"""
