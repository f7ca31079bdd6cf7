"""Where the two real scraped seed pages live: ../shared/seeds beside the checkout, or KB_SEEDS_DIR."""

import os
from pathlib import Path

SEEDS_DIR = Path(
    os.environ.get("KB_SEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
)
