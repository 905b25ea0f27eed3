"""Plan tree → chunks: one per item, action goal, measure and the document header; long items split."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .records import Chunk, Document, Node

# Node kinds that carry their own text worth retrieving (groups and parts only when they have text).
CHUNKED_KINDS = ("document", "preamble", "part", "group", "section", "item", "closing")
CHINESE_SEPARATORS = ["\n", "。", "；", "，", ""]


# The header chunk says in words what it holds, so that 文号/发文机关/"who issued it" questions find it.
HEADER_DESCRIPTION = ("文件信息：标题、文号（发文字号）、发文机关、成文日期、发布日期、主送、抄送、印发。"
                      "Document information: title, document number, issuing authority, date issued, date published.")


def embed_text(node: Node) -> str:
    """What the embedder and BM25 see: breadcrumb, then the text (the header also says what it is)."""
    if node.kind == "document":
        return f"{node.label}\n{HEADER_DESCRIPTION}\n{node.text}"
    return f"{node.label}\n{node.text}"


def chunk_documents(
    docs: Iterable[Document],
    count_tokens: Callable[[str], int],
    max_tokens: int,
) -> list[Chunk]:
    """Chunks for every node that has text, in reading order.

    Args:
        docs: parsed plans.
        count_tokens: the embedder's token counter.
        max_tokens: the embedder's window; only an item longer than this is split.
    Returns:
        Chunks; pieces of a split item keep its node id and label, with ids node#1, node#2 ….
    """
    chunks: list[Chunk] = []
    for doc in docs:
        for node in doc.nodes:
            if node.kind not in CHUNKED_KINDS or not node.text:
                continue
            full = embed_text(node)
            if count_tokens(full) <= max_tokens:
                chunks.append(Chunk(id=node.id, node_id=node.id, label=node.label, text=node.text, embed_text=full))
                continue
            for i, piece in enumerate(split_text(node, count_tokens, max_tokens), start=1):
                chunks.append(Chunk(id=f"{node.id}#{i}", node_id=node.id, label=node.label, text=piece,
                                    embed_text=f"{node.label}\n{piece}"))
    return chunks


def split_text(node: Node, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split an over-long node's text at Chinese sentence and clause marks so each piece fits the window."""
    # imported here: the splitter (with langchain-core, ~0.5 s) is needed only to build, never to ask
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    budget = max(32, max_tokens - count_tokens(node.label) - 8)
    splitter = RecursiveCharacterTextSplitter(
        separators=CHINESE_SEPARATORS,
        chunk_size=budget,
        chunk_overlap=min(32, budget // 8),
        length_function=count_tokens,
        keep_separator="end",
    )
    return splitter.split_text(node.text)
