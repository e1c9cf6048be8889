"""The stand-in's REST tokens, as the manager keeps them (RestHttpBearerAuthenticator): an in-memory
map of token ids, each with a fixed term from its login that calls never extend; a restart loses
them all."""
import time
import uuid

DEFAULT_TOKEN_MINUTES = 1440  # rest.token.valid.term.minutes


class Tokens:
    """The manager's in-memory token map: a fixed term from login, never extended by use."""

    def __init__(self, minutes=DEFAULT_TOKEN_MINUTES):
        self.minutes = minutes
        self.expiry = {}  # token id -> epoch seconds

    def issue(self):
        token = str(uuid.uuid4())
        self.expiry[token] = time.time() + self.minutes * 60
        return token, self.expiry[token]

    def valid(self, token):
        return self.expiry.get(token, 0) > time.time()

    def revoke(self, token):
        self.expiry.pop(token, None)

    def expire_all(self):
        """Test hook: every token is past its term (a run that outlived it, or a manager restart)."""
        self.expiry.clear()
