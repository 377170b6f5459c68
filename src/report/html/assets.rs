//! The HTML report's style sheet and script, inlined into every page (the
//! page loads nothing from outside): the colours and decorations of the
//! labels, the layout of cards and columns, and the passage links between
//! the columns.

pub(super) const CSS: &str = r#"
:root{--ink:#1d232b;--muted:#5b6573;--line:#dfe3e8;--bg:#f5f6f8;--card:#fff;
--same:transparent;--changed:#fff0b3;--changed-ink:#b26b00;--dropped:#ffe0e0;--dropped-ink:#c92a2a;
--added:#d6f5dc;--added-ink:#2b8a3e;--link:#3b5bdb}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1440px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:20px;margin:0;font-weight:650;letter-spacing:-.01em}
h2{font-size:16px;margin:0 0 10px;font-weight:650;display:flex;align-items:center;gap:8px}
h2 .n{font-size:12px;font-weight:600;color:var(--muted);background:#e9ecef;border-radius:10px;padding:1px 8px}
section,header.top{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}
.top-row{display:flex;align-items:center;gap:14px;flex-wrap:wrap;margin-bottom:14px}
.verdict{font-weight:700;font-size:14px;padding:4px 12px;border-radius:999px;color:#fff;text-transform:uppercase;letter-spacing:.04em}
.verdict-desc{color:var(--muted)}
.jump{margin-left:auto;display:flex;gap:14px;font-size:13px}
.v-dup{background:#c92a2a}.v-near{background:#e8590c}.v-partial{background:#d9480f}.v-related{background:#1c7ed6}.v-unrelated{background:#495057}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-bottom:14px}
.meta-card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;min-width:0}
.meta-card .t{font-weight:600;margin:2px 0}
.meta-card .sub{color:var(--muted);font-size:13px;overflow-wrap:anywhere}
.tag{display:inline-block;min-width:22px;text-align:center;font-weight:700;font-size:12px;border-radius:5px;padding:1px 6px;color:#fff;background:#495057;margin-right:6px}
.tag-a{background:#7048e8}.tag-b{background:#0c8599}
.scores{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin-bottom:12px}
.score{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.score .k{font-size:12px;color:var(--muted)}
.score .v{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}
.bar{height:4px;background:#e9ecef;border-radius:2px;margin-top:4px;overflow:hidden}
.bar i{display:block;height:100%;background:#4c6ef5}
.counts{display:flex;flex-wrap:wrap;gap:6px 14px;color:var(--muted);font-size:13px}
.counts b{color:var(--ink);font-variant-numeric:tabular-nums}
.counts span{white-space:nowrap}
.counts .group{display:inline-flex;flex-wrap:wrap;gap:2px 12px;align-items:baseline;padding-right:14px;border-right:1px solid var(--line)}
.counts .group:last-child{border-right:0}
.counts .gk{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.quote{border:1px solid var(--line);border-left:4px solid #c92a2a;border-radius:8px;padding:10px 14px;margin:0 0 10px}
.quote.st-speaker-card{border-left-color:#e8590c}.quote.st-partial-card{border-left-color:#f59f00}
.quote-head{display:flex;align-items:center;gap:10px;flex-wrap:wrap;font-size:13px;color:var(--muted)}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;border-radius:4px;padding:2px 7px;color:#fff}
.st-altered{background:#c92a2a}.st-speaker{background:#e8590c}.st-partial{background:#f08c00}.st-single{background:#868e96}.st-verbatim{background:#2b8a3e}
.speakers b{color:var(--ink)}
.qdiff{margin:8px 0;font:17px/1.55 Georgia,"Times New Roman",serif}
del{background:var(--dropped);color:#8f1d1d;text-decoration:line-through 2px var(--dropped-ink);border-radius:3px;padding:0 2px}
ins{background:var(--added);color:#1b5e2a;text-decoration:none;border-bottom:2px solid var(--added-ink);border-radius:3px;padding:0 2px}
.quote-sides{display:grid;grid-template-columns:1fr 1fr;gap:10px;font-size:13px;color:var(--muted)}
.quote-sides p{margin:0}
a{color:var(--link)}
.locate{font-size:12px;white-space:nowrap}
ul.single{margin:0;padding-left:18px}ul.single li{margin:4px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.sev-high{color:#c92a2a;font-weight:700}.sev-medium{color:#e8590c;font-weight:600}.sev-low{color:var(--muted)}
.none{color:var(--muted);margin:0}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:13px;color:var(--muted);margin:0 0 12px}
.legend span[data-label]{padding:1px 6px;border-radius:3px;color:var(--ink)}
.columns{display:grid;grid-template-columns:1fr 1fr;grid-template-rows:auto 1fr;column-gap:18px}
.col{min-width:0;border:1px solid var(--line);border-radius:8px;overflow:hidden;display:grid;grid-row:span 2;grid-template-rows:subgrid}
.col-head{padding:10px 14px;border-bottom:1px solid var(--line);background:#fafbfc}
.col-head .t{font-weight:600}
.col-head .sub{font-size:12px;color:var(--muted)}
.article-text{padding:6px 16px;font:16px/1.65 Georgia,"Times New Roman",serif;max-height:calc(100vh - 80px);overflow-y:auto;overflow-wrap:anywhere}
.article-text p{margin:.7em 0}
.l-same{background:var(--same)}
.l-changed{background:var(--changed);text-decoration:underline dotted 2px var(--changed-ink);text-underline-offset:3px}
.l-dropped{background:var(--dropped);text-decoration:line-through 1px var(--dropped-ink)}
.l-added{background:var(--added);text-decoration:underline solid 2px var(--added-ink);text-underline-offset:3px}
.l-none{background:repeating-linear-gradient(45deg,#f1f3f5 0 4px,#fff 4px 8px)}
.article-text [data-passage]{cursor:pointer}
.p-start[data-kind="moved"]::before{content:"moved";font:700 10px/1 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.05em;color:#5f3dc4;background:#e5dbff;border-radius:3px;padding:2px 5px;margin-right:5px;vertical-align:2px;text-decoration:none;display:inline-block}
.linked{outline:2px solid rgba(59,91,219,.55);outline-offset:0;border-radius:2px}
.l-same.linked{background:#e8edff}
.flash{animation:flash 2.4s ease-out}
@keyframes flash{0%,40%{box-shadow:0 0 0 3px #fab005;background:#fff3bf}}
.warn{margin:0;padding-left:18px}.warn li{margin:3px 0}
footer{color:var(--muted);font-size:12px;text-align:center}
@media (max-width:900px){.columns,.meta,.quote-sides{grid-template-columns:1fr}.columns{row-gap:18px}.col{grid-row:auto;grid-template-rows:auto}.scores{grid-template-columns:repeat(2,1fr)}.article-text{max-height:none}}
@media print{.article-text{max-height:none}html{background:#fff}}
"#;

pub(super) const JS: &str = r#"
(function(){
  var cur=null;
  function mark(p,on){
    if(p===null)return;
    var els=document.querySelectorAll('.article-text [data-passage="'+p+'"]');
    for(var i=0;i<els.length;i++)els[i].classList.toggle('linked',on);
  }
  document.addEventListener('mouseover',function(e){
    var t=e.target.closest&&e.target.closest('.article-text [data-passage]');
    var p=t?t.getAttribute('data-passage'):null;
    if(p!==cur){mark(cur,false);cur=p;mark(cur,true);}
  });
  function reveal(el){
    var box=el.closest('.article-text');
    if(box&&box.scrollHeight>box.clientHeight){
      box.scrollTop+=el.getBoundingClientRect().top-box.getBoundingClientRect().top-box.clientHeight/3;
    }
    if(el.getBoundingClientRect().top<0||el.getBoundingClientRect().bottom>innerHeight){
      el.scrollIntoView({block:'center'});
    }
  }
  function flash(sel){
    var els=document.querySelectorAll(sel);
    for(var i=0;i<els.length;i++){
      els[i].classList.remove('flash');void els[i].offsetWidth;els[i].classList.add('flash');
    }
    if(els.length)reveal(els[0]);
  }
  document.addEventListener('click',function(e){
    var l=e.target.closest&&e.target.closest('a[data-quote]');
    if(l){e.preventDefault();flash('.article-text [data-quote="'+l.getAttribute('data-quote')+'"]');return;}
    var t=e.target.closest&&e.target.closest('.article-text [data-passage]');
    if(!t)return;
    var mine=t.closest('.article-text').id;
    var other=document.querySelector('.article-text:not(#'+mine+') [data-passage="'+t.getAttribute('data-passage')+'"]');
    if(other)reveal(other);
  });
  document.documentElement.setAttribute('data-js','ready');
})();
"#;
