import fs from "node:fs";
const names = fs.readFileSync(".env.example", "utf8").split("\n").map((l) => l.split("=")[0].trim()).filter(Boolean);
const missing = names.filter((n) => !(n in process.env));
console.log(missing.length ? `missing: ${missing.join(", ")}` : "all set");
process.exit(missing.length ? 1 : 0);
