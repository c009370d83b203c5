import sys

from visage_upload.cli import main

sys.exit(main())
