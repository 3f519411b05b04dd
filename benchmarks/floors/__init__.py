"""Floor programs: the least a Textual app or an iCal library can do for each figure.

Each is a script run as its own process, the same way as the carecal command it is compared with.
"""
