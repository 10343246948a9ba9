"""The doors: how HR reaches kaohe (command line, Excel ribbon and cell functions, the add-in build).

A door only translates: what the user gave into a job's arguments, the job's outcome into what the user
sees. Doors import jobs, the engine and the small vocabularies, never the workbook layer.
"""
