"""Storage: the SQLite file, its connections, schema migrations, the change log and backups.

Nothing here imports anything of carecal's above `models` and `settings`: every noun (posts,
campaigns, tags...) is built on these modules, never the other way round (an import-linter
contract holds that line). Where each module sits:

- `errors`: why a file cannot be used; `backup_files`: every file name carecal writes beside a
  calendar; `connection`: one configured connection and transactions; `columns`: JSON columns;
- `copy`: a consistent online copy; `migrations`: the schema steps; `database`: `open_db`;
- `changelog`: who changed what; `settings_table`: the team's stored settings;
- `backups`: daily backups and restore.
"""
