/*
** json.c: safe member reads (see json.h).
*/
#include "json.h"

const char *json_str(const cJSON *o, const char *key) {
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
  return s ? s : "";
}

double json_num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

long json_long(const cJSON *o, const char *key) { return (long)json_num(o, key); }

void json_put(cJSON *o, const char *key, cJSON *item) {
  if (!o || !item) {
    if (o) cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    cJSON_Delete(item);
    return;
  }
  int kept = cJSON_GetObjectItemCaseSensitive(o, key)
                 ? cJSON_ReplaceItemInObjectCaseSensitive(o, key, item)
                 : cJSON_AddItemToObject(o, key, item);
  if (!kept) cJSON_Delete(item);
}
