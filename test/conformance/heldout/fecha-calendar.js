// ferry-lines: 2,4
// fecha: dates formatted and parsed with custom masks and a custom i18n (French day and month
// names); an agenda of class instances advances one day per step.
const fecha = require('fecha');
const fr = {
  dayNamesShort: ['dim', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam'],
  dayNames: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  monthNamesShort: ['janv', 'févr', 'mars', 'avr', 'mai', 'juin', 'juil', 'août', 'sept', 'oct', 'nov', 'déc'],
  monthNames: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  amPm: ['am', 'pm'],
  DoFn: (d) => `${d}e`,
};
fecha.setGlobalDateMasks({ agenda: 'dddd D MMMM YYYY [à] HH:mm' });
class Meeting {
  constructor(title, at) { this.title = title; this.at = at; }
  postpone(days) { this.at = new Date(this.at.getTime() + days * 86_400_000); return this; }
}
const agenda = [new Meeting('revue', fecha.parse('2024-02-27 09:30', 'YYYY-MM-DD HH:mm')), new Meeting('bilan', fecha.parse('31/12/2024 17:00', 'DD/MM/YYYY HH:mm'))];
let day = 0;
const iv = setInterval(() => {
  day++;
  for (const m of agenda) m.postpone(day);
  console.log(day, agenda.map((m) => `${m.title}: ${fecha.format(m.at, 'agenda', fr)} (${fecha.format(m.at, 'Do MMM', fr)})`).join('; '));
  if (day === 5) clearInterval(iv);
}, 20);
