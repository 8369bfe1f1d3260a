"""Log filters for the settings' LOGGING."""

import logging
import time


class OncePerInterval(logging.Filter):
    """One line per interval for a failure that repeats on every request. django-redis logs each
    cache call it ignores with a traceback: with Redis down, thousands a minute (make
    topology-test counted 4,900 in 26 s on one node). This keeps the first of each interval, as
    one line naming the error, and counts the others into the next line it lets through."""

    def __init__(self, seconds: float = 60.0, clock=time.monotonic) -> None:
        super().__init__()
        self.seconds, self.clock = seconds, clock
        self.next_at = float("-inf")
        self.held_back = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = self.clock()
        if now < self.next_at:
            self.held_back += 1
            return False
        error = record.exc_info[1] if record.exc_info else None
        cause = f"{type(error).__name__}: {error}" if error else record.getMessage()
        more = f"; {self.held_back} more since the last such line" if self.held_back else ""
        record.msg, record.args = f"The cache failed, serving without it ({cause}){more}", ()
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        self.next_at, self.held_back = now + self.seconds, 0
        return True
