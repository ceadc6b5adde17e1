// Reads GIFT on stdin, parses it with gift-pegjs (an independent parser) and prints
// {"types": [...]} with one question type per parsed entry, or {"error": ...} and exit 1.
import { parse } from "gift-pegjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");
try {
  const questions = parse(text);
  const types = questions.map((q) => q.type);
  const tags = questions.map((q) => q.tags ?? null);
  const ids = questions.map((q) => q.id ?? null);
  process.stdout.write(JSON.stringify({ types, tags, ids }) + "\n");
} catch (err) {
  const where = err.location ? `line ${err.location.start.line}: ` : "";
  process.stdout.write(JSON.stringify({ error: where + err.message }) + "\n");
  process.exitCode = 1;
}
