"""The `carecal` command line: the other face of the data layer, one module per command group.

- `entry`: the root group (`carecal` itself opens the app) and the table of lazily loaded commands;
- `context`: opening the database once per invocation and turning every error into one line;
- `params`: shared option types (dates, channels, JSON output);
- `posts`, `calendar`, `compliance`, `ics`, `backup`: the command groups.
"""
