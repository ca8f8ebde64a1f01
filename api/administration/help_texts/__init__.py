"""Help texts (SPEC §5): help for the input fields of the professional app, in Swedish and
English, written by central administrators and read by every staff member."""
