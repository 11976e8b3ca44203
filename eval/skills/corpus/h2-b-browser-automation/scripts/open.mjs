import { chromium } from "playwright";
const ctx = await chromium.launchPersistentContext("./.pw-profile", { headless: false });
const page = await ctx.newPage();
await page.goto(process.argv[2]);
