/*
** i18n.c: interface strings (see i18n.h). Adding a language means adding a
** column here.
*/
#include "i18n.h"

#include <string.h>

typedef struct phrase {
  const char *key, *en, *ar;
} phrase;

static const phrase PHRASES[] = {
    {"home", "Home", "الرئيسية"},
    {"latest_news", "Latest news", "آخر الأخبار"},
    {"read_more", "Read more", "اقرأ المزيد"},
    {"by", "By", "بقلم"},
    {"published_on", "Published", "نُشر في"},
    {"updated_on", "Updated", "حُدّث في"},
    {"rate_this_post", "Rate this post", "قيّم هذا المقال"},
    {"votes", "votes", "أصوات"},
    {"vote", "vote", "صوت"},
    {"no_votes_yet", "No votes yet", "لا تقييمات بعد"},
    {"average_rating", "Average rating", "متوسط التقييم"},
    {"your_rating", "Your rating", "تقييمك"},
    {"submit_rating", "Rate", "قيّم"},
    {"related_articles", "Related articles", "مقالات ذات صلة"},
    {"comments", "Comments", "التعليقات"},
    {"no_comments_yet", "No comments yet. Be the first to reply.",
     "لا تعليقات بعد. كن أول من يعلّق."},
    {"leave_a_reply", "Leave a reply", "اترك تعليقاً"},
    {"reply_to", "Reply", "رد"},
    {"your_name", "Name", "الاسم"},
    {"your_email", "Email", "البريد الإلكتروني"},
    {"email_note", "Your email address will not be published.",
     "لن يتم نشر عنوان بريدك الإلكتروني."},
    {"your_comment", "Comment", "التعليق"},
    {"post_comment", "Post comment", "أرسل التعليق"},
    {"required", "required", "مطلوب"},
    {"back_to_top", "Back to top", "العودة إلى الأعلى"},
    {"newer", "Newer articles", "مقالات أحدث"},
    {"older", "Older articles", "مقالات أقدم"},
    {"page", "Page", "صفحة"},
    {"of", "of", "من"},
    {"categories", "Sections", "الأقسام"},
    {"tags", "Tags", "الوسوم"},
    {"skip_to_content", "Skip to content", "انتقل إلى المحتوى"},
    {"main_navigation", "Main navigation", "القائمة الرئيسية"},
    {"featured", "Featured", "مميز"},
    {"comment_awaiting", "Your comment is awaiting moderation.",
     "تعليقك بانتظار المراجعة."},
    {"in_category", "in", "في"},
    {"back_home", "Back to the home page", "العودة إلى الصفحة الرئيسية"},
    {"star", "star", "نجمة"},
    {"stars", "stars", "نجوم"},
    {"articles_by", "Articles by", "مقالات"},
    {"error_400", "Bad request", "طلب غير صالح"},
    {"error_400_text", "The address or form could not be understood.",
     "تعذّر فهم العنوان أو النموذج."},
    {"error_404", "Page not found", "الصفحة غير موجودة"},
    {"error_404_text", "There is no page at this address. It may have moved.",
     "لا توجد صفحة بهذا العنوان. ربما نُقلت."},
    {"error_405", "Method not allowed", "الطريقة غير مسموح بها"},
    {"error_405_text", "This page cannot be used that way.",
     "لا يمكن استخدام هذه الصفحة بهذه الطريقة."},
    {"error_413", "Request too large", "الطلب كبير جداً"},
    {"error_413_text", "What was sent is larger than this site accepts.",
     "ما أُرسل أكبر مما يقبله الموقع."},
    {"error_414", "Address too long", "العنوان طويل جداً"},
    {"error_414_text", "The address is longer than this site accepts.",
     "العنوان أطول مما يقبله الموقع."},
    {"error_500", "Something went wrong", "حدث خطأ ما"},
    {"error_500_text", "The page could not be shown. Please try again.",
     "تعذّر عرض الصفحة. يرجى المحاولة مرة أخرى."},
};

static const char *const MONTHS_EN[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};
static const char *const MONTHS_AR[12] = {
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
    "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"};

int i18n_supported(const char *lang) {
  return lang && (strcmp(lang, "en") == 0 || strcmp(lang, "ar") == 0);
}

const char *i18n_dir(const char *lang) {
  return lang && strcmp(lang, "ar") == 0 ? "rtl" : "ltr";
}

/* Returns the phrase's text in lang. */
static const char *i18n_pick(const phrase *p, const char *lang) {
  return lang && strcmp(lang, "ar") == 0 ? p->ar : p->en;
}

const char *i18n_text(const char *lang, const char *key) {
  for (size_t i = 0; i < sizeof PHRASES / sizeof PHRASES[0]; i++)
    if (strcmp(PHRASES[i].key, key) == 0) return i18n_pick(&PHRASES[i], lang);
  return key;
}

cJSON *i18n_strings(const char *lang) {
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; i < sizeof PHRASES / sizeof PHRASES[0]; i++)
    cJSON_AddStringToObject(o, PHRASES[i].key, i18n_pick(&PHRASES[i], lang));
  return o;
}

const char *i18n_month(const char *lang, int month) {
  if (month < 1 || month > 12) return "";
  return lang && strcmp(lang, "ar") == 0 ? MONTHS_AR[month - 1]
                                         : MONTHS_EN[month - 1];
}
