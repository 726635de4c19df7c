# Writes OUT, a C file holding every SQL file of SQL_DIR, in name order, as
# a string in the array gazette_migrations[] ending with a NULL entry.
# Each file's name starts with its migration number (001_schema.sql).
file(GLOB FILES ${SQL_DIR}/*.sql)
list(SORT FILES)
set(body "/* Generated from the sql folder at build time; do not edit. */\n#include <stddef.h>\n\nconst char *const gazette_migrations[] = {\n")
foreach(f ${FILES})
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  # Break the literal every 64 bytes so compilers stay happy.
  string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n  \"" escaped "${escaped}")
  get_filename_component(name ${f} NAME)
  string(APPEND body "  /* ${name} */\n  \"${escaped}\",\n")
endforeach()
string(APPEND body "  NULL\n};\n")
file(WRITE ${OUT} "${body}")
