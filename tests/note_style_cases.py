"""Notes of Chinese policy journals and think tanks citing English sources, in the styles they use (APA 7, MLA 9,
Harvard, IEEE, Chicago notes and bibliography, GB/T 7714-2015, Chinese lead-ins, two sources in one note, a URL
broken over two lines by PDF extraction, full-width punctuation, a Chinese translation of the title with the
English in parentheses, reports by organisations only, web pages with access dates), each with the fields it
should read and the library sources it should link by the Tracing page's rule.

Written by hand from the styles' rules (session 37, notes), before any change to ``workbench/citations/notes.py``;
no ``corpus/`` document was read. The sources are real-looking or invented; only their titles and URLs matter.

Split by a fixed rule, declared before the first run: the case at 0-based position k is held out when
``k % 3 == 2`` (every third case), the rest are the development set. The held-out set is run twice only: once
before any fix (totals only) and once after the last fix; no fix is written while looking at a held-out case.
A note citing two sources expects the first source's fields and both sources' links.
"""
from __future__ import annotations

from typing import NamedTuple

from workbench.trace.library import SourceInfo

LIBRARY = [
    SourceInfo(0, "iea_role_critical_minerals.pdf", "pdf", "The Role of Critical Minerals in Clean Energy Transitions",
               "https://www.iea.org/reports/the-role-of-critical-minerals-in-clean-energy-transitions", 300),
    SourceInfo(1, "ember_ger2024.pdf", "pdf", "Global Electricity Review 2024",
               "https://ember-energy.org/latest-insights/global-electricity-review-2024/", 200),
    SourceInfo(2, "mcs2024.pdf", "pdf", "Mineral Commodity Summaries 2024", "https://pubs.usgs.gov/publication/mcs2024",
               400),
    SourceInfo(3, "100-day-review.pdf", "pdf",
               "Building Resilient Supply Chains, Revitalizing American Manufacturing, and Fostering Broad-Based Growth",
               "https://www.whitehouse.gov/wp-content/uploads/2021/06/100-day-supply-chain-review-report.pdf", 500),
    SourceInfo(4, "ree_landscape.html", "html", "Rare Earth Elements: A Review of Production and Trade", "", 80),
    SourceInfo(5, "patel_miller_2022.pdf", "pdf",
               "Friend-Shoring Critical Minerals: Trade Policy for Secure Supply Chains", "", 120),
    SourceInfo(6, "nze2050.pdf", "pdf", "Net Zero by 2050: A Roadmap for the Global Energy Sector",
               "https://www.iea.org/reports/net-zero-by-2050", 350),
    SourceInfo(7, "crm_foresight.pdf", "pdf",
               "Critical Raw Materials for Strategic Technologies and Sectors in the EU: A Foresight Study", "", 150),
    SourceInfo(8, "lee_smith_energy_policy.pdf", "pdf", "The Energy Transition and Mineral Demand", "", 90),
    SourceInfo(9, "irena_costs_2023.pdf", "pdf", "Renewable Power Generation Costs in 2023",
               "https://www.irena.org/Publications/2024/Sep/Renewable-Power-Generation-Costs-in-2023", 260),
    SourceInfo(10, "piie_bridge.html", "html", "A Bridge Too Far? Critical Minerals and Trade Policy",
               "https://www.piie.com/blogs/realtime-economics/2023/bridge-too-far-critical-minerals-and-trade-policy", 40),
    SourceInfo(11, "doe_vulnerability.pdf", "pdf", "Clean Energy Supply Chains Vulnerability Assessment", "", 110),
    SourceInfo(12, "battery2030.pdf", "pdf", "Battery 2030: Resilient, Sustainable, and Circular", "", 70),
    SourceInfo(13, "evo2024.pdf", "pdf", "Electric Vehicle Outlook 2024", "", 180),
    SourceInfo(14, "aeo2023.pdf", "pdf", "Annual Energy Outlook 2023", "", 240),
    SourceInfo(15, "gevo2024.pdf", "pdf", "Global EV Outlook 2024", "https://www.iea.org/reports/global-ev-outlook-2024",
               170),
]


class NoteCase(NamedTuple):
    """A note's text as its lines stand in the notes section, and what it should read and link."""

    id: str
    text: str
    authors: str
    title: str
    url: str
    accessed: str
    sources: list[int]


_PIIE = "https://www.piie.com/blogs/realtime-economics/2023/bridge-too-far-critical-minerals-and-trade-policy"
_IRENA = "https://www.irena.org/Publications/2024/Sep/Renewable-Power-Generation-Costs-in-2023"
_FRIEND = "Friend-Shoring Critical Minerals: Trade Policy for Secure Supply Chains"

CASES = [
    NoteCase("apa_journal_two_authors",
             "Patel, R., & Miller, A. (2022). Friend-shoring critical minerals: Trade policy for secure supply "
             "chains. Journal of International Economic Policy, 14(2), 133–158. https://doi.org/10.1016/j.jiep.2022.03.004",
             "Patel, R., & Miller, A", "Friend-shoring critical minerals: Trade policy for secure supply chains",
             "https://doi.org/10.1016/j.jiep.2022.03.004", "", [5]),
    NoteCase("apa_report_by_organisation",
             "International Energy Agency. (2021). The role of critical minerals in clean energy transitions. "
             "https://www.iea.org/reports/the-role-of-critical-minerals-in-clean-energy-transitions",
             "International Energy Agency", "The role of critical minerals in clean energy transitions",
             "https://www.iea.org/reports/the-role-of-critical-minerals-in-clean-energy-transitions", "", [0]),
    NoteCase("apa_webpage_retrieved",
             "Ember. (2024, April 8). Global electricity review 2024. Retrieved May 2, 2024, from "
             "https://ember-energy.org/latest-insights/global-electricity-review-2024/",
             "Ember", "Global electricity review 2024",
             "https://ember-energy.org/latest-insights/global-electricity-review-2024/", "May 2, 2024", [1]),
    NoteCase("mla_journal_two_authors",
             'Lee, Kevin, and John Smith. "The Energy Transition and Mineral Demand." Energy Policy, vol. 171, '
             "2022, p. 113284.",
             "Lee, Kevin, and John Smith", "The Energy Transition and Mineral Demand", "", "", [8]),
    NoteCase("mla_webpage_accessed",
             '"Global EV Outlook 2024." International Energy Agency, Apr. 2024, '
             "www.iea.org/reports/global-ev-outlook-2024. Accessed 12 June 2024.",
             "International Energy Agency", "Global EV Outlook 2024", "www.iea.org/reports/global-ev-outlook-2024",
             "12 June 2024", [15]),
    NoteCase("harvard_report_by_organisation",
             "U.S. Geological Survey (2024) Mineral commodity summaries 2024. Reston, VA: USGS.",
             "U.S. Geological Survey", "Mineral commodity summaries 2024", "", "", [2]),
    NoteCase("harvard_online_accessed",
             "IRENA (2024) Renewable power generation costs in 2023. Abu Dhabi: International Renewable Energy "
             f"Agency. Available at: {_IRENA} (Accessed: 3 October 2024).",
             "IRENA", "Renewable power generation costs in 2023", _IRENA, "3 October 2024", [9]),
    NoteCase("ieee_journal",
             'K. Lee and J. Smith, "The energy transition and mineral demand," Energy Policy, vol. 171, '
             "Art. no. 113284, 2022.",
             "K. Lee and J. Smith", "The energy transition and mineral demand", "", "", [8]),
    NoteCase("ieee_online_report",
             'International Energy Agency, "Net zero by 2050: A roadmap for the global energy sector," IEA, Paris, '
             "France, 2021. [Online]. Available: https://www.iea.org/reports/net-zero-by-2050",
             "International Energy Agency", "Net zero by 2050: A roadmap for the global energy sector",
             "https://www.iea.org/reports/net-zero-by-2050", "", [6]),
    NoteCase("chicago_note_journal",
             f'Andrew Miller, "{_FRIEND}," Journal of International Economic Policy 14, no. 2 (2022): 140.',
             "Andrew Miller", _FRIEND, "", "", [5]),
    NoteCase("chicago_bibliography_organisation",
             "U.S. Department of Energy. Clean Energy Supply Chains Vulnerability Assessment. Washington, DC: "
             "U.S. Department of Energy, 2022.",
             "U.S. Department of Energy", "Clean Energy Supply Chains Vulnerability Assessment", "", "", [11]),
    NoteCase("chicago_note_colon_title",
             "European Commission, Critical Raw Materials for Strategic Technologies and Sectors in the EU: A "
             "Foresight Study (Luxembourg: Publications Office of the European Union, 2020), 23.",
             "European Commission",
             "Critical Raw Materials for Strategic Technologies and Sectors in the EU: A Foresight Study", "", "", [7]),
    NoteCase("gbt_eb_ol_access_date",
             "Ember. Global Electricity Review 2024[EB/OL]. (2024-04-08)[2024-05-10]. "
             "https://ember-energy.org/latest-insights/global-electricity-review-2024/.",
             "Ember", "Global Electricity Review 2024",
             "https://ember-energy.org/latest-insights/global-electricity-review-2024/", "2024-05-10", [1]),
    NoteCase("gbt_report_the_org",
             "The White House. Building Resilient Supply Chains, Revitalizing American Manufacturing, and Fostering "
             "Broad-Based Growth[R]. Washington, DC: The White House, 2021.",
             "The White House",
             "Building Resilient Supply Chains, Revitalizing American Manufacturing, and Fostering Broad-Based Growth",
             "", "", [3]),
    NoteCase("gbt_journal_upper_names",
             "PATEL R, MILLER A. Friend-shoring critical minerals: trade policy for secure supply chains[J]. "
             "Journal of International Economic Policy, 2022, 14(2): 133-158.",
             "PATEL R, MILLER A", "Friend-shoring critical minerals: trade policy for secure supply chains", "", "",
             [5]),
    NoteCase("gbt_full_width",
             "U.S. Energy Information Administration．Annual Energy Outlook 2023［R］．Washington，DC：EIA，2023．",
             "U.S. Energy Information Administration", "Annual Energy Outlook 2023", "", "", [14]),
    NoteCase("canjian_commas_page",
             "参见 U.S. Geological Survey, Mineral Commodity Summaries 2024, Reston: USGS, 2024, p. 58。",
             "U.S. Geological Survey", "Mineral Commodity Summaries 2024", "", "", [2]),
    NoteCase("zhuanyinzi_quoted",
             '转引自 International Energy Agency, "The Role of Critical Minerals in Clean Energy Transitions," '
             "May 2021, p. 45。",
             "International Energy Agency", "The Role of Critical Minerals in Clean Energy Transitions", "", "", [0]),
    NoteCase("xiangjian_org_no_word",
             "详见BloombergNEF, Electric Vehicle Outlook 2024, June 2024。",
             "BloombergNEF", "Electric Vehicle Outlook 2024", "", "", [13]),
    NoteCase("two_sources_semicolon",
             "International Energy Agency, Global EV Outlook 2024, Paris: IEA, 2024; BloombergNEF, Electric "
             "Vehicle Outlook 2024, June 2024.",
             "International Energy Agency", "Global EV Outlook 2024", "", "", [13, 15]),
    NoteCase("two_sources_chinese_semicolon",
             "参见U.S. Geological Survey, Mineral Commodity Summaries 2024, p. 12；U.S. Department of Energy, Clean "
             "Energy Supply Chains Vulnerability Assessment, 2022, p. 7。",
             "U.S. Geological Survey", "Mineral Commodity Summaries 2024", "", "", [2, 11]),
    NoteCase("url_broken_at_hyphen",
             'International Energy Agency, "Global EV Outlook 2024," April 2024, https://www.iea.org/reports/global-\n'
             "ev-outlook-2024.",
             "International Energy Agency", "Global EV Outlook 2024", "https://www.iea.org/reports/global-ev-outlook-2024",
             "", [15]),
    NoteCase("url_broken_at_slash_access_date",
             "Ember, Global Electricity Review 2024, April 2024, https://ember-energy.org/latest-insights/\n"
             "global-electricity-review-2024/, 访问日期：2024年5月10日。",
             "Ember", "Global Electricity Review 2024",
             "https://ember-energy.org/latest-insights/global-electricity-review-2024/", "2024年5月10日", [1]),
    NoteCase("full_width_commas",
             "International Energy Agency，Net Zero by 2050: A Roadmap for the Global Energy Sector，Paris：IEA，2021，p. 15。",
             "International Energy Agency", "Net Zero by 2050: A Roadmap for the Global Energy Sector", "", "", [6]),
    NoteCase("chinese_title_english_in_parens",
             "国际能源署：《关键矿产在清洁能源转型中的作用》（The Role of Critical Minerals in Clean Energy Transitions），"
             "2021年5月。",
             "国际能源署", "The Role of Critical Minerals in Clean Energy Transitions", "", "", [0]),
    NoteCase("chinese_title_english_in_parens_url_login",
             "美国地质调查局：《2024年矿产品概要》(Mineral Commodity Summaries 2024)，https://pubs.usgs.gov/publication/mcs2024，"
             "登录时间：2024年3月1日。",
             "美国地质调查局", "Mineral Commodity Summaries 2024", "https://pubs.usgs.gov/publication/mcs2024",
             "2024年3月1日", [2]),
    NoteCase("organisation_only_title_with_commas",
             "McKinsey & Company, Battery 2030: Resilient, Sustainable, and Circular, January 2023.",
             "McKinsey & Company", "Battery 2030: Resilient, Sustainable, and Circular", "", "", [12]),
    NoteCase("yearless_title_org_no_word",
             "Global Electricity Review, Ember, 2024.",
             "Ember", "Global Electricity Review", "", "", [1]),
    NoteCase("webpage_quoted_access_date_parens",
             f"“A Bridge Too Far? Critical Minerals and Trade Policy,” PIIE, March 2023, {_PIIE}（访问日期：2024年1月15日）。",
             "PIIE", "A Bridge Too Far? Critical Minerals and Trade Policy", _PIIE, "2024年1月15日", [10]),
    NoteCase("webpage_unquoted_login_time",
             f"Peterson Institute for International Economics, A Bridge Too Far? Critical Minerals and Trade Policy, "
             f"{_PIIE}，登录时间：2024年1月15日。",
             "Peterson Institute for International Economics", "A Bridge Too Far? Critical Minerals and Trade Policy",
             _PIIE, "2024年1月15日", [10]),
    NoteCase("harvard_two_authors_single_quotes",
             "Lee, K. and Smith, J. (2022) ‘The energy transition and mineral demand’, Energy Policy, 171, p. 113284.",
             "Lee, K. and Smith, J", "The energy transition and mineral demand", "", "", [8]),
    NoteCase("mla_report_no_author",
             "Clean Energy Supply Chains Vulnerability Assessment. U.S. Department of Energy, Feb. 2022.",
             "U.S. Department of Energy", "Clean Energy Supply Chains Vulnerability Assessment", "", "", [11]),
    NoteCase("apa_report_org_no_word",
             "BloombergNEF. (2024). Electric vehicle outlook 2024. https://about.bnef.com/electric-vehicle-outlook/",
             "BloombergNEF", "Electric vehicle outlook 2024", "https://about.bnef.com/electric-vehicle-outlook/", "",
             [13]),
    NoteCase("gbt_r_ol_date_in_brackets",
             f"IRENA. Renewable Power Generation Costs in 2023[R/OL]. Abu Dhabi: IRENA, 2024[2024-10-03]. {_IRENA}.",
             "IRENA", "Renewable Power Generation Costs in 2023", _IRENA, "2024-10-03", [9]),
    NoteCase("zhuanyinzi_two_sources",
             "转引自Kevin Lee and John Smith, “The Energy Transition and Mineral Demand,” Energy Policy 171 (2022): "
             "113284；原文见International Energy Agency, The Role of Critical Minerals in Clean Energy Transitions "
             "(Paris: IEA, 2021), 45。",
             "Kevin Lee and John Smith", "The Energy Transition and Mineral Demand", "", "", [0, 8]),
    NoteCase("ieee_report_number",
             'U.S. Energy Information Administration, "Annual energy outlook 2023," EIA, Washington, DC, USA, '
             "Rep. AEO2023, Mar. 2023.",
             "U.S. Energy Information Administration", "Annual energy outlook 2023", "", "", [14]),
    NoteCase("canjian_mla_two_authors",
             f'参见Miller, Andrew, and Ravi Patel. "{_FRIEND}." Journal of International Economic Policy, vol. 14, '
             "no. 2, 2022, pp. 133-58.",
             "Miller, Andrew, and Ravi Patel", _FRIEND, "", "", [5]),
    NoteCase("webpage_not_in_library_accessed",
             "The White House, “FACT SHEET: Securing a Made in America Supply Chain for Critical Minerals,” "
             "February 22, 2022, https://www.whitehouse.gov/briefing-room/statements-releases/2022/02/22/fact-sheet-"
             "securing-a-made-in-america-supply-chain-for-critical-minerals/, accessed March 1, 2022.",
             "The White House", "FACT SHEET: Securing a Made in America Supply Chain for Critical Minerals",
             "https://www.whitehouse.gov/briefing-room/statements-releases/2022/02/22/fact-sheet-securing-a-made-in-"
             "america-supply-chain-for-critical-minerals/", "March 1, 2022", []),
    NoteCase("url_broken_no_hyphen",
             'U.S. Geological Survey, "Mineral Commodity Summaries 2024," January 2024, https://pubs.usgs.gov/publication/\n'
             "mcs2024.",
             "U.S. Geological Survey", "Mineral Commodity Summaries 2024", "https://pubs.usgs.gov/publication/mcs2024",
             "", [2]),
]

DEV = [c for k, c in enumerate(CASES) if k % 3 != 2]
HELD_OUT = [c for k, c in enumerate(CASES) if k % 3 == 2]
