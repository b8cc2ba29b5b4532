import sys

from tianmen_telemetry.usage.faust_app import main

main(sys.argv[1:])
