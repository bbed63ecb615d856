"""The one exception type for failures a user can fix (bad file, missing model, unknown document).

Its message is shown verbatim by the CLI and the UI, so it names the file or setting at fault.
"""


class WorkbenchError(Exception):
    pass
