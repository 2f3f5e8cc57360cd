//! One document tree for every input language: YAML (with its tags and positions), JSON (read as
//! YAML after serde_json has checked it) and HCL (Terraform, through hcl-edit's spans).
//!
//! The formats then read this tree alone, so a CloudFormation template reads the same whether it
//! was written in YAML, in JSON or with short-form tags.

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in the source: 1-based line and column (in characters), and the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Byte offset.
    pub offset: usize,
}

/// A node of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What it holds.
    pub value: Value,
    /// Its tag without the `!`: `Ref`, `Sub`, `GetAtt` in CloudFormation's short form; `var`,
    /// `local` or `expr` for Terraform references and expressions.
    pub tag: Option<String>,
    /// Where it starts.
    pub pos: Pos,
}

/// The value of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A mapping, in file order; keys keep their own positions. A key may repeat (Terraform's
    /// repeated blocks).
    Map(Vec<(String, Pos, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A scalar as written.
    Scalar {
        /// Its text.
        text: String,
        /// Whether it was a quoted string.
        quoted: bool,
    },
    /// `null`, `~` or an empty value.
    Null,
}

impl Node {
    /// The first entry `key` of a mapping (exact name).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, _, n)| n)
    }

    /// The first entry `key` of a mapping, with the key's position.
    pub fn entry(&self, key: &str) -> Option<(&str, Pos, &Node)> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(k, p, n)| (k.as_str(), *p, n)),
            _ => None,
        }
    }

    /// Every entry `key` of a mapping (Terraform's repeated blocks).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.entries().iter().filter(move |(k, _, _)| k == key).map(|(_, _, n)| n)
    }

    /// The entries of a mapping; none for anything else.
    pub fn entries(&self) -> &[(String, Pos, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence; none for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The text of an untagged scalar.
    pub fn text(&self) -> Option<&str> {
        match (&self.value, &self.tag) {
            (Value::Scalar { text, .. }, None) => Some(text),
            _ => None,
        }
    }

    /// Whether it is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }
}

/// A problem reading a document, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub pos: Pos,
    /// What the parser said.
    pub message: String,
}

/// Line starts of a text, to turn lines and columns into byte offsets and back.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of 1-based `line` and 0-based character column `col0`.
    pub fn at(&self, line: usize, col0: usize) -> Pos {
        let start = self.starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        let rest = &self.text[start..];
        let offset = start + rest.char_indices().nth(col0).map_or(rest.len(), |(i, _)| i);
        Pos { line: line.max(1), col: col0 + 1, offset }
    }

    /// The position of byte `offset`.
    pub fn of_offset(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        Pos { line, col: col + 1, offset }
    }
}

/// Reads every document of a YAML stream (or a JSON text, which is YAML too).
pub fn yaml(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let lines = Lines::new(text);
    let mut builder = Builder { lines: &lines, stack: Vec::new(), docs: Vec::new(), anchors: BTreeMap::new() };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        pos: lines.at(e.marker().line(), e.marker().col()),
        message: e.info().to_owned(),
    })?;
    Ok(builder.docs)
}

/// Reads a JSON text: serde_json checks it (its errors name the line and column), then the
/// YAML reader builds the tree with positions. JSON's tabs are whitespace, which YAML refuses
/// for indentation, so they are read as spaces: outside strings they are only layout, and a
/// tab cannot appear raw inside a JSON string.
pub fn json(text: &str) -> Result<Node, SyntaxError> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        let lines = Lines::new(text);
        return Err(SyntaxError { pos: lines.at(e.line(), e.column().saturating_sub(1)), message: e.to_string() });
    }
    let spaced = text.replace('\t', " ");
    let mut docs = yaml(&spaced)?;
    Ok(if docs.is_empty() { Node { value: Value::Null, tag: None, pos: Pos::default() } } else { docs.remove(0) })
}

/// Builds nodes from the YAML parser's events.
struct Builder<'a, 'b> {
    lines: &'b Lines<'a>,
    /// Open collections: the node and, for mappings, the pending key.
    stack: Vec<(Node, Option<(String, Pos)>)>,
    docs: Vec<Node>,
    anchors: BTreeMap<usize, Node>,
}

impl Builder<'_, '_> {
    fn push(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some((parent, key)) = self.stack.last_mut() else {
            self.docs.push(node);
            return;
        };
        match &mut parent.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => match key.take() {
                Some((k, p)) => entries.push((k, p, node)),
                None => {
                    let k = match &node.value {
                        Value::Scalar { text, .. } => text.clone(),
                        Value::Null => String::new(),
                        _ => "?".to_owned(),
                    };
                    *key = Some((k, node.pos));
                }
            },
            _ => {}
        }
    }
}

fn tag_name(tag: Option<Tag>) -> Option<String> {
    let tag = tag?;
    // Short-form CloudFormation tags are local tags (`!Ref`): handle "!", suffix "Ref". Core
    // schema tags (`!!str`) say nothing the scalar does not.
    if tag.handle == "!" { Some(tag.suffix) } else { None }
}

impl MarkedEventReceiver for Builder<'_, '_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = self.lines.at(mark.line(), mark.col());
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let quoted = !matches!(style, TScalarStyle::Plain);
                let value = if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    Value::Null
                } else {
                    Value::Scalar { text, quoted }
                };
                self.push(Node { value, tag: tag_name(tag), pos }, anchor);
            }
            Event::SequenceStart(anchor, tag) => {
                let node = Node { value: Value::Seq(Vec::new()), tag: tag_name(tag), pos };
                self.stack.push((node, None));
                let _ = anchor;
            }
            Event::MappingStart(anchor, tag) => {
                let node = Node { value: Value::Map(Vec::new()), tag: tag_name(tag), pos };
                self.stack.push((node, None));
                let _ = anchor;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _)) = self.stack.pop() {
                    self.push(node, 0);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node { value: Value::Null, tag: None, pos });
                self.push(node, 0);
            }
            Event::DocumentEnd => {
                // An empty document gives no node; nothing to do.
            }
            _ => {}
        }
    }
}

/// A Terraform block: its type (`resource`, `variable`, …), labels and body.
pub struct Block {
    /// `resource`, `variable`, `module`, `locals`, …
    pub ident: String,
    /// Its labels (`"aws_ecs_service"`, `"web"`).
    pub labels: Vec<String>,
    /// Its body as a mapping.
    pub body: Node,
    /// Where the block starts.
    pub pos: Pos,
}

/// Reads an HCL text into its top-level blocks.
pub fn hcl(text: &str) -> Result<Vec<Block>, SyntaxError> {
    let lines = Lines::new(text);
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        SyntaxError { pos: lines.at(loc.line(), loc.column().saturating_sub(1)), message: e.message().to_owned() }
    })?;
    let mut blocks = Vec::new();
    for s in body.iter() {
        if let Structure::Block(b) = s {
            let labels = b
                .labels
                .iter()
                .map(|l| match l {
                    BlockLabel::Ident(i) => i.as_str().to_owned(),
                    BlockLabel::String(s) => s.value().clone(),
                })
                .collect();
            blocks.push(Block {
                ident: b.ident.as_str().to_owned(),
                labels,
                body: hcl_body(&b.body, &lines, b.span().map_or(0, |s| s.start)),
                pos: lines.of_offset(b.span().map_or(0, |s| s.start)),
            });
        }
    }
    Ok(blocks)
}

fn hcl_body(body: &Body, lines: &Lines<'_>, at: usize) -> Node {
    let mut entries = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let p = lines.of_offset(a.key.span().map_or(at, |s| s.start));
                entries.push((a.key.as_str().to_owned(), p, hcl_expr(&a.value, lines, p.offset)));
            }
            Structure::Block(b) => {
                let p = lines.of_offset(b.ident.span().map_or(at, |s| s.start));
                let mut node = hcl_body(&b.body, lines, p.offset);
                node.pos = p;
                entries.push((b.ident.as_str().to_owned(), p, node));
            }
        }
    }
    Node { value: Value::Map(entries), tag: None, pos: lines.of_offset(at) }
}

fn hcl_expr(e: &Expression, lines: &Lines<'_>, at: usize) -> Node {
    let pos = lines.of_offset(e.span().map_or(at, |s| s.start));
    let scalar = |text: String, quoted: bool| Node { value: Value::Scalar { text, quoted }, tag: None, pos };
    match e {
        Expression::Null(_) => Node { value: Value::Null, tag: None, pos },
        Expression::Bool(b) => scalar(b.value().to_string(), false),
        Expression::Number(n) => scalar(n.value().to_string(), false),
        Expression::String(s) => scalar(s.value().clone(), true),
        Expression::Array(a) => {
            Node { value: Value::Seq(a.iter().map(|x| hcl_expr(x, lines, pos.offset)).collect()), tag: None, pos }
        }
        Expression::Object(o) => Node {
            value: Value::Map(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => i.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(_) => "?".to_owned(),
                        };
                        let kp = lines.of_offset(k.span().map_or(pos.offset, |s| s.start));
                        (key, kp, hcl_expr(v.expr(), lines, kp.offset))
                    })
                    .collect(),
            ),
            tag: None,
            pos,
        },
        Expression::Traversal(t) => {
            // `var.name` and `local.name` are references the formats resolve; anything longer
            // (`var.config.min`, `module.x.y`) is an expression they cannot.
            if let (Expression::Variable(root), [op]) = (&t.expr, t.operators.as_slice())
                && let TraversalOperator::GetAttr(name) = op.value()
                && matches!(root.as_str(), "var" | "local")
            {
                let tag = if root.as_str() == "var" { "var" } else { "local" };
                return Node {
                    value: Value::Scalar { text: name.as_str().to_owned(), quoted: false },
                    tag: Some(tag.to_owned()),
                    pos,
                };
            }
            expr_node(e, lines, pos)
        }
        Expression::Parenthesis(p) => hcl_expr(p.inner(), lines, pos.offset),
        _ => expr_node(e, lines, pos),
    }
}

/// An expression the formats cannot evaluate, kept as its source text.
fn expr_node(e: &Expression, lines: &Lines<'_>, pos: Pos) -> Node {
    let text = e.span().and_then(|s| lines.text.get(s)).unwrap_or("an expression").trim().to_owned();
    Node { value: Value::Scalar { text, quoted: false }, tag: Some("expr".to_owned()), pos }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keeps_tags_and_positions() {
        let docs = yaml("a:\n  b: !Ref Size\n  c: [1, 2]\n# d: 3\n").unwrap();
        let b = docs[0].get("a").unwrap().get("b").unwrap();
        assert_eq!(b.tag.as_deref(), Some("Ref"));
        assert_eq!((b.pos.line, b.pos.col), (2, 11), "the scalar after its tag");
        assert_eq!(docs[0].get("a").unwrap().get("c").unwrap().items().len(), 2);
        assert!(docs[0].get("a").unwrap().get("d").is_none(), "a comment is never a value");
    }

    #[test]
    fn json_reads_with_positions_and_tabs() {
        let n = json("{\n\t\"a\": {\"b\": 5}\n}").unwrap();
        let b = n.get("a").unwrap().get("b").unwrap();
        assert_eq!(b.text(), Some("5"));
        assert_eq!(b.pos.line, 2);
        let e = json("{\"a\": }").unwrap_err();
        assert_eq!(e.pos.line, 1);
    }

    #[test]
    fn hcl_reads_blocks_references_and_expressions() {
        let blocks = hcl("resource \"aws_ecs_service\" \"web\" {\n  desired_count = var.n\n  x = 1 + 2\n  deployment_circuit_breaker {\n    enable = true\n  }\n}\n").unwrap();
        assert_eq!(blocks[0].labels, ["aws_ecs_service", "web"]);
        let n = blocks[0].body.get("desired_count").unwrap();
        assert_eq!((n.tag.as_deref(), n.text_any()), (Some("var"), "n"));
        assert_eq!(n.pos.line, 2);
        assert_eq!(blocks[0].body.get("x").unwrap().tag.as_deref(), Some("expr"));
        assert_eq!(
            blocks[0].body.get("deployment_circuit_breaker").unwrap().get("enable").unwrap().text(),
            Some("true")
        );
    }

    impl Node {
        fn text_any(&self) -> &str {
            match &self.value {
                Value::Scalar { text, .. } => text,
                _ => "",
            }
        }
    }
}
