from kurs.cli import main

raise SystemExit(main())
