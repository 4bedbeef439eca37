/*
 * Порядок результатов поиска. KURS_TERMS (его дописывает kurs.site из глоссария) —
 * основы слов термина → урок, где термин объяснён: этот урок идёт первым («градиенты» →
 * урок об автоматическом дифференцировании). Дальше — страница, в заголовке которой стоит
 * искомое слово в любой форме («тензоров» → «Тензоры»), и тем выше, чем большую часть
 * заголовка оно занимает. Остальные веса — как у Sphinx по умолчанию.
 */
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, , score] = result;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const stemmer = new Stemmer();
    const stems = (text) =>
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
        .map((word) => stemmer.stemWord(word));
    const queryStems = stems(query);
    const wanted = new Set(queryStems);
    const explains = (KURS_TERMS[queryStems.join(" ")] || []).includes(docname);
    const titleWords = stems(title.split(" > ")[0]);
    const matched = titleWords.filter((word) => wanted.has(word)).length;
    // «Тензоры» (слово — весь заголовок) выше, чем «Операции над тензорами».
    if (anchor) return score;
    return score + (explains ? 30 : 0) + Math.round((10 * matched) / titleWords.length);
  },

  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {
    0: 15,
    1: 5,
    2: -5,
  },
  objPrioDefault: 0,

  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
