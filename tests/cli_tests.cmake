# Black-box CLI tests (filled in with the chamber command).
