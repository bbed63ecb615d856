"""Hand-built Chinese articles with English footnotes, made to break easy linkers.

Each case knows its truth (which note every marker cites, which notes nobody cites), so the tests
and the accuracy table measure the linker rather than eyeball it. Sources and sentences are invented
for these tests (not taken from the seeds); each Chinese sentence paraphrases its source's title.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.corpus import document_from_text
from workbench.model import Document


@dataclass(frozen=True)
class Source:
    zh: str  # the sentence in the article that draws on the source
    org: str
    title: str
    url: str
    accessed: tuple[int, int, int]


SOURCES = [
    Source("世界卫生组织发布报告称,全球抗生素耐药性正在威胁现代医学的基础。", "World Health Organization",
           "Antimicrobial Resistance: Global Report on Surveillance", "https://www.who.int/publications/amr-report", (2023, 3, 14)),
    Source("国际能源署预测,到2030年电动汽车销量将占新车销量的一半以上。", "International Energy Agency",
           "Global EV Outlook 2023: Electric Cars to Reach Half of New Sales", "https://www.iea.org/reports/global-ev-outlook-2023", (2023, 4, 26)),
    Source("联合国粮农组织警告说,非洲之角的干旱已使数百万人面临饥饿。", "FAO",
           "Drought in the Horn of Africa Leaves Millions Facing Hunger", "https://www.fao.org/newsroom/horn-of-africa-drought", (2022, 9, 5)),
    Source("国际货币基金组织认为,全球通货膨胀压力将在明年逐步缓解。", "International Monetary Fund",
           "World Economic Outlook: Global Inflation Expected to Ease Next Year", "https://www.imf.org/en/publications/weo/2023", (2023, 10, 10)),
    Source("兰德公司的研究指出,无人机蜂群将改变未来战场的作战方式。", "RAND Corporation",
           "Drone Swarms and the Future of Warfare", "https://www.rand.org/pubs/research_reports/drone-swarms.html", (2021, 6, 2)),
    Source("世界银行的数据显示,南亚地区的极端贫困人口在过去十年中显著减少。", "World Bank",
           "Poverty and Shared Prosperity: Extreme Poverty Falls in South Asia", "https://www.worldbank.org/en/publication/poverty-and-shared-prosperity", (2022, 11, 30)),
    Source("欧洲议会通过了《人工智能法案》,对高风险人工智能系统提出严格要求。", "European Parliament",
           "Artificial Intelligence Act: Parliament Adopts Landmark Law", "https://www.europarl.europa.eu/news/ai-act", (2024, 3, 13)),
    Source("日本经济产业省宣布将补贴国内半导体工厂建设,以保障芯片供应安全。", "Ministry of Economy, Trade and Industry",
           "Japan to Subsidize Domestic Chip Plants to Secure Semiconductor Supply", "https://www.meti.go.jp/english/press/2022/chips.html", (2022, 6, 17)),
    Source("北极理事会的报告指出,北极变暖的速度几乎是全球平均水平的四倍。", "Arctic Council",
           "Arctic Climate Update: The Arctic Is Warming Nearly Four Times Faster than the Globe", "https://arctic-council.org/news/arctic-climate-update", (2021, 5, 20)),
    Source("麦肯锡全球研究院估计,生成式人工智能每年可为全球经济增加数万亿美元的价值。", "McKinsey Global Institute",
           "The Economic Potential of Generative AI: The Next Productivity Frontier", "https://www.mckinsey.com/mgi/generative-ai-economic-potential", (2023, 6, 14)),
    Source("国际原子能机构表示,小型模块化反应堆可能成为低碳电力的重要来源。", "IAEA",
           "Small Modular Reactors: A New Source of Low-Carbon Electricity", "https://www.iaea.org/newscenter/small-modular-reactors", (2023, 8, 1)),
    Source("学者们认为,城市公共交通投资能够显著改善低收入家庭的就业机会。", "Brookings Institution",
           "Transit Access and Job Opportunities for Low-Income Families", "https://www.brookings.edu/articles/transit-access-jobs", (2020, 2, 11)),
    Source("经合组织的调查发现,各国学生的数学成绩在疫情之后普遍下降。", "OECD",
           "PISA 2022 Results: Student Mathematics Performance Declines after the Pandemic", "https://www.oecd.org/pisa/publications/pisa-2022-results.htm", (2023, 12, 5)),
    Source("国际海事组织通过新规,要求航运业在2050年前后实现温室气体净零排放。", "International Maritime Organization",
           "Revised GHG Strategy: Shipping to Reach Net-Zero Emissions by 2050", "https://www.imo.org/en/mediacentre/revised-ghg-strategy", (2023, 7, 7)),
    Source("美国国家航空航天局的韦伯望远镜拍摄到了迄今为止最遥远的星系。", "NASA",
           "Webb Telescope Captures the Most Distant Galaxies Ever Seen", "https://www.nasa.gov/webb/most-distant-galaxies", (2022, 12, 9)),
    Source("哈佛大学的研究团队发现,长期睡眠不足会显著增加心血管疾病的风险。", "Harvard School of Public Health",
           "Chronic Sleep Deprivation Raises the Risk of Cardiovascular Disease", "https://www.hsph.harvard.edu/news/sleep-heart-disease", (2021, 1, 19)),
    Source("世界贸易组织预计,今年全球商品贸易量的增长将明显放缓。", "World Trade Organization",
           "Global Trade Outlook: Growth in Merchandise Trade Volume to Slow", "https://www.wto.org/english/news_e/trade-outlook.htm", (2023, 4, 5)),
    Source("红十字国际委员会呼吁冲突各方保护医院和医务人员。", "International Committee of the Red Cross",
           "Protecting Hospitals and Health Workers in Armed Conflict", "https://www.icrc.org/en/document/protecting-health-care", (2022, 8, 22)),
    Source("斯德哥尔摩国际和平研究所的数据显示,全球军费开支已连续第九年增长。", "SIPRI",
           "Trends in World Military Expenditure: Spending Rises for the Ninth Consecutive Year", "https://www.sipri.org/publications/military-expenditure-trends", (2024, 4, 22)),
    Source("联合国难民署统计,全球被迫流离失所的人数首次超过一亿。", "UNHCR",
           "Global Trends: Forced Displacement Passes 100 Million for the First Time", "https://www.unhcr.org/global-trends-report", (2022, 6, 16)),
]

# Sources on one subject from overlapping organisations (as in real think-tank footnotes), so that
# similarity alone cannot tell them apart easily.
CLUSTER = [
    Source("新美国安全中心建议,美国应联合盟友对先进芯片制造设备实施多边出口管制。", "CNAS",
           "Rethinking Export Controls: Multilateral Controls on Chipmaking Equipment", "https://www.cnas.org/publications/reports/rethinking-export-controls", (2022, 10, 3)),
    Source("新美国安全中心的另一份报告主张建立民主国家之间的人工智能研发合作网络。", "CNAS",
           "Allied AI Research Networks among Democracies", "https://www.cnas.org/publications/reports/allied-ai-research", (2021, 4, 8)),
    Source("战略与国际问题研究中心分析了中国在人工智能芯片领域的自给能力。", "CSIS",
           "Assessing China's Self-Sufficiency in AI Chips", "https://www.csis.org/analysis/china-ai-chip-self-sufficiency", (2023, 2, 21)),
    Source("布鲁金斯学会的学者讨论了人工智能监管在美欧之间的分歧。", "Brookings Institution",
           "Diverging Approaches to AI Regulation in the US and EU", "https://www.brookings.edu/articles/us-eu-ai-regulation", (2023, 5, 30)),
    Source("大西洋理事会提出,跨大西洋技术合作应以半导体供应链为优先。", "Atlantic Council",
           "Prioritizing Semiconductor Supply Chains in Transatlantic Tech Cooperation", "https://www.atlanticcouncil.org/in-depth-research-reports/semiconductor-supply-chains", (2022, 3, 15)),
    Source("新美国安全中心还评估了量子计算对未来密码体系的威胁。", "CNAS",
           "Quantum Computing and the Future of Encryption", "https://www.cnas.org/publications/commentary/quantum-encryption", (2021, 11, 2)),
]

# Sentences without citations; some carry dates, quantities and list enumerators that are not markers.
FILLER = [
    "这一趋势在2021年3月以后更加明显。",
    "相关国家在会议上提出三项建议:①加强监测;②扩大投资;③完善立法。",
    "据统计,参与项目的机构已超过120家,覆盖(1)政府部门和(2)研究机构。",
    "2022年5月17日,相关各方在日内瓦举行了第二轮磋商。",
    "专家普遍认为,这一变化将持续影响未来十年的政策走向。",
    "该领域的年均增长率约为3.5%,远高于其他行业。",
    "与此同时,各国在具体做法上仍存在明显分歧。",
    "第3条规定,成员应当每两年提交一次进展报告。",
]

ALL_SOURCES = SOURCES + CLUSTER  # build_case() indexes this list
CIRCLED = [chr(c) for c in range(0x2460, 0x2474)]  # ①…⑳


def circled(n: int) -> str:
    return CIRCLED[(n - 1) % 20]


def superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def ocr_misread(n: int) -> str:
    """A note number as OCR often reads it: 1 as lowercase l, 0 as capital O (``[l]``, ``[lO]``)."""
    return str(n).translate(str.maketrans("10", "lO"))


MARKER_STYLES = {
    "caret_circled": lambda n: f"^{circled(n)}",
    "circled": circled,
    "bracket": lambda n: f"[{n}]",
    "bracket_ocr": lambda n: f"[{ocr_misread(n)}]",
    "caret": lambda n: f"^{n}",
    "superscript": superscript,
    "zhu": lambda n: f"(注{n})",
}


def note_line(style: str, label: int, src: Source) -> str:
    y, m, d = src.accessed
    if style == "zh":
        return f'{circled(label)} {src.org}, "{src.title}," <{src.url}>.(上网时间:{y}年{m}月{d}日)'
    if style == "zh_wrapped":  # access date wrapped onto its own line, as PDF extraction leaves it
        return f'{circled(label)} {src.org}, "{src.title}," <{src.url}>.\n(上网时间:{y}年{m}月{d}日)'
    if style in ("bracket", "bracket_ocr"):  # unquoted title
        shown = ocr_misread(label) if style == "bracket_ocr" else label
        return f"[{shown}] {src.org}. {src.title}. {src.url}. (accessed {y}-{m:02d}-{d:02d})"
    if style == "english":
        months = "January February March April May June July August September October November December".split()
        return f'{label}. {src.org}, “{src.title},” accessed {months[m - 1]} {d}, {y}, {src.url}.'
    raise ValueError(style)


@dataclass
class Case:
    name: str
    doc: Document
    expected: list[int | None]  # per marker in document order: the note it cites
    unreferenced: list[int]
    sources: list[Source]  # per note


def build_case(
    name: str,
    cited: list[int],
    noted: list[int],
    *,
    marker_style: str = "caret_circled",
    note_style: str = "zh",
    marker_numbers: list[int] | None = None,
    note_numbers: list[int] | None = None,
    heading: str = "注释:",
    drop_markers: frozenset[int] = frozenset(),
    seed: int = 0,
) -> Case:
    """An article citing ``ALL_SOURCES[cited[k]]`` k-th, with notes for ``ALL_SOURCES[noted[j]]`` in order.

    Numbers default to each source's position in ``noted`` (1-based); ``drop_markers`` removes the
    marker (not the sentence) of those citations, as a careless extraction would.
    """
    rng = random.Random(seed)
    numbers = marker_numbers or [noted.index(s) + 1 if s in noted else k + 1 for k, s in enumerate(cited)]
    labels = note_numbers or list(range(1, len(noted) + 1))
    style = MARKER_STYLES[marker_style]
    paragraphs, current, expected = [], [], []
    for k, s in enumerate(cited):
        if rng.random() < 0.5:
            current.append(FILLER[rng.randrange(len(FILLER))])
        sentence = ALL_SOURCES[s].zh
        if k not in drop_markers:
            sentence += style(numbers[k])
            expected.append(noted.index(s) if s in noted else None)
        current.append(sentence)
        if len(current) >= 3 or rng.random() < 0.3:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    text = "一、引言\n\n" + "\n\n".join(paragraphs) + "\n"
    if noted:
        text += f"\n{heading}\n\n" + "\n\n".join(note_line(note_style, labels[j], ALL_SOURCES[s]) for j, s in enumerate(noted)) + "\n"
    cited_notes = {e for e in expected if e is not None}
    return Case(
        name=name,
        doc=document_from_text(text, f"{name}.txt", "zh"),
        expected=expected,
        unreferenced=[j for j in range(len(noted)) if j not in cited_notes],
        sources=[ALL_SOURCES[s] for s in noted],
    )


def cases(seed: int) -> list[Case]:
    """One draw of every hard case; ``seed`` varies which sources, their order and the garbling."""
    rng = random.Random(seed)
    pool = list(range(len(SOURCES)))
    rng.shuffle(pool)
    items = pool[:14]
    out = [build_case("clean", items, items, seed=seed)]
    # First page missing: four notes cited only there (the seed-000 situation).
    out.append(build_case("leading_unreferenced", items[4:], items, seed=seed))
    shuffled = list(range(1, len(items) + 1))
    rng.shuffle(shuffled)
    marks = list(range(1, len(items) + 1))
    rng.shuffle(marks)
    out.append(build_case("numbers_shuffled", items, items, marker_numbers=marks, note_numbers=shuffled, seed=seed))
    out.append(build_case("numbers_identical", items, items, marker_numbers=[16] * len(items),
                          note_numbers=[16] * len(items), seed=seed))
    cycle = [10 + k % 4 for k in range(len(items))]  # ⑩⑪⑫⑬⑩⑪… like a garbled extraction
    out.append(build_case("numbers_cycling", items, items, marker_numbers=cycle,
                          note_numbers=[min(j + 1, 16) for j in range(len(items))], marker_style="circled", seed=seed))
    out.append(build_case("marker_deleted", items, items, drop_markers=frozenset({rng.randrange(1, len(items) - 1)}), seed=seed))
    gone = rng.randrange(1, len(items) - 1)
    kept = [s for s in items if s != items[gone]]
    labels = [j + 1 for j in range(len(items)) if j != gone]
    out.append(build_case("note_deleted", items, kept, note_numbers=labels,
                          marker_numbers=list(range(1, len(items) + 1)), seed=seed))
    # [n] markers; a source cited again later by its original number (not monotone in the text).
    again = rng.randrange(0, len(items) // 2)
    cited = items[:10] + [items[again]] + items[10:]
    numbers = [items.index(s) + 1 for s in cited]
    out.append(build_case("bracket_with_repeat", cited, items, marker_style="bracket", note_style="bracket",
                          marker_numbers=numbers, heading="参考文献", seed=seed))
    out.append(build_case("superscript_english_notes", items, items, marker_style="superscript",
                          note_style="english", heading="Notes", seed=seed))
    out.append(build_case("zhu_wrapped_notes", items, items, marker_style="zhu", note_style="zh_wrapped", seed=seed))
    out.append(build_case("caret_digits_garbled", items, items, marker_style="caret",
                          marker_numbers=[rng.randint(1, 20) for _ in items], note_style="english",
                          heading="Notes", seed=seed))
    # No number evidence at all: an orphan marker, a repeat and uncited notes must come from the text.
    same = [16] * len(items)
    out.append(build_case("note_deleted_identical", items, kept, note_numbers=[16] * len(kept),
                          marker_numbers=same, seed=seed))
    out.append(build_case("repeat_identical", cited, items, marker_numbers=[16] * len(cited),
                          note_numbers=same, seed=seed))
    skipped = sorted(rng.sample(range(2, len(items) - 2), 3))
    out.append(build_case("middle_unreferenced_garbled", [s for j, s in enumerate(items) if j not in skipped], items,
                          marker_numbers=[rng.randint(1, 20) for _ in range(len(items) - 3)],
                          note_numbers=[rng.randint(1, 20) for _ in items], marker_style="circled", seed=seed))
    # One subject, overlapping organisations, identical numbers, a note nobody cites in the middle.
    base = len(SOURCES)
    cluster = [base + k for k in rng.sample(range(len(CLUSTER)), len(CLUSTER))]
    mixed = cluster[:3] + items[:3] + cluster[3:]
    out.append(build_case("same_subject_identical", [s for s in mixed if s != cluster[1]], mixed,
                          marker_numbers=[16] * (len(mixed) - 1), note_numbers=[16] * len(mixed), seed=seed))
    out.append(build_case("no_notes", items[:6], [], seed=seed))
    # OCR read 1 as l and 0 as O in the markers and the note labels alike.
    out.append(build_case("ocr_misread_numbers", items, items, marker_style="bracket_ocr", note_style="bracket_ocr",
                          heading="参考文献", seed=seed))
    # A long report's notes run past 999, where numbers look like years.
    long = list(range(994, 994 + len(items)))
    out.append(build_case("numbers_past_999", items, items, marker_style="bracket", note_style="english",
                          marker_numbers=long, note_numbers=long, heading="Notes", seed=seed))
    return out


def number_only(case_markers, notes) -> list[int | None]:
    """Baseline: the first note whose label carries the marker's number."""
    by_number: dict[int, int] = {}
    for n in notes:
        if n.number is not None:
            by_number.setdefault(n.number, n.index)
    return [by_number.get(m.number) for m in case_markers]


def order_only(case_markers, notes) -> list[int | None]:
    """Baseline: the k-th marker cites the k-th note."""
    return [k if k < len(notes) else None for k in range(len(case_markers))]

