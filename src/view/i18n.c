/*
** i18n.c: interface strings (see i18n.h). Adding a language means adding a
** column here.
*/
#include "i18n.h"

#include <string.h>

const phrase PHRASES[] = {
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
    {"search", "Search", "بحث"},
    {"search_label", "Search the site", "ابحث في الموقع"},
    {"search_results_for", "Results for", "نتائج البحث عن"},
    {"search_none", "No articles match these words. Try fewer or other words.",
     "لا توجد مقالات تطابق هذه الكلمات. جرّب كلمات أقل أو غيرها."},
    {"search_hint", "Type one or more words; articles holding all of them are shown.",
     "اكتب كلمة أو أكثر؛ تظهر المقالات التي تحتويها كلها."},
    {"search_too_long", "The search can be at most 200 characters.",
     "يجب ألا يزيد البحث على 200 حرف."},
    {"results", "results", "نتائج"},
    {"feed", "Feed", "خلاصة"},
    {"older_comments", "Older comments", "تعليقات أقدم"},
    {"newer_comments", "Newer comments", "تعليقات أحدث"},
    {"comment_one", "comment", "تعليق"},
    {"comment_many", "comments", "تعليقات"},
    {"text_invalid", "Some of what you typed could not be read. Please check it and post again.",
     "تعذّرت قراءة بعض ما كتبته. يرجى مراجعته وإرساله مرة أخرى."},
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
    {"rating_thanks", "Thank you! Your rating:", "شكراً! تقييمك:"},
    {"rating_failed", "Your vote could not be saved. Please try again.",
     "تعذّر حفظ صوتك. يرجى المحاولة مرة أخرى."},
    {"comment_failed", "Your comment could not be posted. Please try again.",
     "تعذّر نشر تعليقك. يرجى المحاولة مرة أخرى."},
    {"rating_invalid", "Choose from one to five stars.",
     "اختر من نجمة واحدة إلى خمس نجوم."},
    {"rating_cap", "Too many votes on this article have come from your network today.",
     "وصلت من شبكتك اليوم أصوات كثيرة جداً على هذا المقال."},
    {"name_required", "Please give your name.", "يرجى كتابة اسمك."},
    {"name_too_long", "Your name can be at most 100 characters.",
     "يجب ألا يزيد الاسم على 100 حرف."},
    {"email_required", "Please give your email address.",
     "يرجى كتابة بريدك الإلكتروني."},
    {"email_invalid", "That email address does not look right.",
     "عنوان البريد الإلكتروني غير صحيح."},
    {"body_required", "Please write a comment.", "يرجى كتابة تعليق."},
    {"body_too_long", "A comment can be at most 5,000 characters.",
     "يجب ألا يزيد التعليق على 5000 حرف."},
    {"parent_invalid", "The comment you are replying to is not available.",
     "التعليق الذي ترد عليه غير متاح."},
    {"reply_too_deep", "Replies cannot nest any deeper here; reply further up the thread.",
     "لا يمكن أن تتداخل الردود أكثر من ذلك؛ رد في موضع أعلى من النقاش."},
    {"too_fast", "That was quick! Please check your comment and post it again.",
     "كان ذلك سريعاً! يرجى مراجعة تعليقك وإرساله مرة أخرى."},
    {"form_expired", "The form has expired. Please post your comment again.",
     "انتهت صلاحية النموذج. يرجى إرسال تعليقك مرة أخرى."},
    {"comment_flood", "You are commenting too often. Please wait a little.",
     "أنت تعلّق كثيراً. يرجى الانتظار قليلاً."},
    {"form_problem", "Your comment was not posted:", "لم يُنشر تعليقك:"},
    {"csrf_failed", "This form has expired. Go back, reload the page and try again.",
     "انتهت صلاحية هذا النموذج. ارجع وأعد تحميل الصفحة ثم حاول مرة أخرى."},
    {"error_401", "Please sign in", "يرجى تسجيل الدخول"},
    {"error_401_text", "Sign in to the newsroom to do this.",
     "سجّل الدخول إلى غرفة الأخبار للقيام بذلك."},
    {"error_403", "Not allowed", "غير مسموح"},
    {"error_403_text", "This request is not allowed.", "هذا الطلب غير مسموح."},
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
    {"error_415", "Unsupported form", "نموذج غير مدعوم"},
    {"error_415_text", "What was sent is not in a form this page accepts.",
     "ما أُرسل ليس بصيغة تقبلها هذه الصفحة."},
    {"error_429", "Too many requests", "طلبات كثيرة جداً"},
    {"error_429_text", "Please wait a little and try again.",
     "يرجى الانتظار قليلاً ثم المحاولة مرة أخرى."},
    {"error_500", "Something went wrong", "حدث خطأ ما"},
    {"error_500_text", "The page could not be shown. Please try again.",
     "تعذّر عرض الصفحة. يرجى المحاولة مرة أخرى."},
};

const size_t PHRASES_COUNT = sizeof PHRASES / sizeof PHRASES[0];

/* Every table, for lookups. */
static const phrase *const TABLES[] = {PHRASES, ADMIN_PHRASES, ARTICLE_PHRASES,
                                       SITE_PHRASES};

/* Returns the number of strings in table i. */
static size_t table_count(size_t i) {
  const size_t *counts[] = {&PHRASES_COUNT, &ADMIN_PHRASES_COUNT,
                            &ARTICLE_PHRASES_COUNT, &SITE_PHRASES_COUNT};
  return *counts[i];
}

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
  for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
    for (size_t i = 0; i < table_count(t); i++)
      if (strcmp(TABLES[t][i].key, key) == 0) return i18n_pick(&TABLES[t][i], lang);
  return key;
}

cJSON *i18n_strings(const char *lang) {
  cJSON *o = cJSON_CreateObject();
  for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
    for (size_t i = 0; i < table_count(t); i++)
      cJSON_AddStringToObject(o, TABLES[t][i].key, i18n_pick(&TABLES[t][i], lang));
  return o;
}

const char *i18n_month(const char *lang, int month) {
  if (month < 1 || month > 12) return "";
  return lang && strcmp(lang, "ar") == 0 ? MONTHS_AR[month - 1]
                                         : MONTHS_EN[month - 1];
}
