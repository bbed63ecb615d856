"""Small hand-made Documents and Alignments for store/review/UI tests (no corpus parser needed)."""
from __future__ import annotations

from workbench.model import Alignment, Bead, Candidate, Document, Paragraph, Sentence


def make_document(name: str, lang: str, paragraphs: list[list[str]], notes: list[str] = ()) -> Document:
    """A document whose body paragraphs hold ``paragraphs`` sentences (and an optional notes paragraph)."""
    sep = "" if lang == "zh" else " "
    original, paras = "", []
    for kind, sentences in [("body", p) for p in paragraphs] + ([("note", list(notes))] if notes else []):
        start = len(original)
        sents = []
        for k, text in enumerate(sentences):
            if k:
                original += sep
            s0 = len(original)
            original += text
            sents.append(Sentence(text, s0, len(original)))
        end = len(original)
        paras.append(Paragraph(len(paras), kind, original[start:end], start, end, sents, list(range(start, end))))
        original += "\n"
    return Document(name, lang, original, paras)


def one_to_one(n: int, confidence: float = 0.8, candidates: bool = True) -> Alignment:
    """The diagonal alignment of n sentences, with the neighbours as ranked candidates."""
    beads = [Bead((i,), (i,), confidence, confidence) for i in range(n)]
    cands = [[Candidate(i, 0.9)] + [Candidate(j, 0.5) for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)]
    return Alignment(beads, cands if candidates else [])


def zh_en_pair(n: int = 6) -> tuple[Document, Document]:
    zh = make_document("zh.txt", "zh", [[f"第{i}句中文。" for i in range(n)]])
    en = make_document("en.txt", "en", [[f"English sentence {i}." for i in range(n)]])
    return zh, en


ZH_TEXT = [
    "量子计算可能在十年内改变密码学。",
    "美国和欧洲正在投资建设新的研究中心。",
    "专家警告说，供应链仍然十分脆弱。",
    "政府需要与盟友协调出口管制。",
    "报告建议设立一个联合基金。",
    "最后，作者呼吁加强人才交流。",
]
EN_TEXT = [
    "Quantum computing could transform cryptography within a decade.",
    "The United States and Europe are investing in new research centres.",
    "Experts warn that supply chains remain very fragile.",
    "Governments need to coordinate export controls with allies.",
    "The report recommends creating a joint fund.",
    "Finally, the authors call for stronger talent exchanges.",
]


def translation_pair() -> tuple[Document, Document]:
    """Six real translations, for tests that run the real aligner."""
    return make_document("policy.zh.txt", "zh", [ZH_TEXT[:3], ZH_TEXT[3:]]), \
        make_document("policy.en.txt", "en", [EN_TEXT[:3], EN_TEXT[3:]])


# Two texts that are not translations of each other (economy news vs a cake recipe), 12 sentences each.
UNRELATED_ZH = [
    "今年的经济增长主要来自出口和基础设施投资。", "央行宣布下调存款准备金率。", "房地产市场仍在调整之中。",
    "地方政府债务问题引起了广泛关注。", "制造业采购经理指数连续三个月回升。", "消费者信心有所恢复。",
    "新能源汽车销量创下历史新高。", "外资企业对中国市场保持谨慎乐观。", "专家建议加快推进结构性改革。",
    "就业形势总体稳定,但青年失业率偏高。", "通货膨胀率保持在较低水平。", "人民币汇率在合理区间内波动。",
]
UNRELATED_EN = [
    "Preheat the oven to two hundred degrees.", "Whisk the eggs with a pinch of salt.",
    "Fold the flour in gently so the batter stays light.", "Butter a round tin and dust it with sugar.",
    "Pour in the batter and smooth the top.", "Bake for thirty minutes until golden.",
    "A skewer pushed into the middle should come out clean.", "Let the cake cool on a rack.",
    "Whip the cream until it holds soft peaks.", "Slice the strawberries thinly.",
    "Spread the cream over the cake and add the fruit.", "Serve within a day.",
]
