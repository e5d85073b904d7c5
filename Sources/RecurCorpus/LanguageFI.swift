// Finnish phrase banks, written for this corpus (not taken from the seeds).

extension LanguagePack {
    static let finnish = LanguagePack(
        lang: .fi,
        themes: [
            ThemeSpec(
                id: "fi-crm-integration", label: "CRM-integraatio", keywords: ["integraatio", "crm"], pattern: .recurring,
                nouns: [
                    ["CRM-integraatio", "CRM-integraatiota", "CRM-integraation", "CRM-integraatiosta"],
                    ["integraatio CRM:ään", "integraatiota CRM:ään", "integraation CRM:ään", "integraatiosta CRM:ään"],
                    ["HubSpot-integraatio", "HubSpot-integraatiota", "HubSpot-integraation", "HubSpot-integraatiosta"],
                    ["verkkosivujen ja CRM-järjestelmän integraatio", "verkkosivujen ja CRM-järjestelmän integraatiota", "verkkosivujen ja CRM-järjestelmän integraation", "verkkosivujen ja CRM-järjestelmän integraatiosta"],
                    ["rajapintaintegraatio asiakasrekisteriin", "rajapintaintegraatiota asiakasrekisteriin", "rajapintaintegraation asiakasrekisteriin", "rajapintaintegraatiosta asiakasrekisteriin"],
                ],
                verbs: ["tehdä integraation lomakkeiden ja CRM:n välille", "yhdistää verkkokauppa ja CRM integraation avulla", "saada liidit suoraan CRM-järjestelmään", "rakentaa HubSpot-integraation verkkosivuille"],
                details: [
                    "Nyt yhteydenotot tulevat sähköpostiin ja myyjät kopioivat ne käsin.",
                    "Käytössämme on HubSpot, ja rajapinta-avaimen saa meiltä.",
                    "Osa yhteydenotoista jää nyt kokonaan käsittelemättä.",
                    "Haluaisimme, että myyjä näkee asiakkaan koko historian yhdestä paikasta.",
                ],
                subjects: ["CRM", "Lomakkeet ja CRM", "HubSpot", "Kysymys integraatiosta"]
            ),
            ThemeSpec(
                id: "fi-webshop-analytics", label: "verkkokaupan analytiikka ja raportointi", keywords: ["analytiik", "verkkokaup"], pattern: .steady,
                nouns: [
                    ["verkkokaupan analytiikka", "verkkokaupan analytiikkaa", "verkkokaupan analytiikan", "verkkokaupan analytiikasta"],
                    ["myynnin analytiikka kanavittain", "myynnin analytiikkaa kanavittain", "myynnin analytiikan kanavittain", "myynnin analytiikasta kanavittain"],
                    ["GA4-analytiikka", "GA4-analytiikkaa", "GA4-analytiikan", "GA4-analytiikasta"],
                    ["ostopolun analytiikka", "ostopolun analytiikkaa", "ostopolun analytiikan", "ostopolun analytiikasta"],
                    ["analytiikkaraportti verkkokaupasta", "analytiikkaraporttia verkkokaupasta", "analytiikkaraportin verkkokaupasta", "analytiikkaraportista verkkokaupasta"],
                ],
                verbs: ["seurata verkkokaupan myyntiä analytiikan avulla", "nähdä analytiikasta, mistä ostajat tulevat", "saada kuukausittaisen analytiikkaraportin", "mitata ostoskorin hylkäämisiä analytiikalla"],
                details: [
                    "Nyt emme tiedä, mikä osa myynnistä tulee mainonnasta.",
                    "Kassalle asti pääsee moni, mutta maksu jää kesken.",
                    "Raportti riittäisi kerran kuukaudessa, kunhan luvut ovat selkeitä.",
                ],
                subjects: ["Analytiikka", "Verkkokaupan luvut", "Raportointi"]
            ),
            ThemeSpec(
                id: "fi-regular-meetings", label: "säännölliset palaverit", keywords: ["palaver", "säännöll"], pattern: .fading,
                nouns: [
                    ["säännöllinen palaveri", "säännöllistä palaveria", "säännöllisen palaverin", "säännöllisestä palaverista"],
                    ["viikkopalaveri", "viikkopalaveria", "viikkopalaverin", "viikkopalaverista"],
                    ["kuukausittainen palaveri", "kuukausittaista palaveria", "kuukausittaisen palaverin", "kuukausittaisesta palaverista"],
                    ["säännölliset Teams-palaverit", "säännöllisiä Teams-palavereita", "säännöllisten Teams-palaverien", "säännöllisistä Teams-palavereista"],
                    ["yhteinen palaverirytmi", "yhteistä palaverirytmiä", "yhteisen palaverirytmin", "yhteisestä palaverirytmistä"],
                ],
                verbs: ["sopia säännöllisistä palavereista", "pitää lyhyen palaverin joka toinen viikko", "käydä kampanjat läpi palaverissa kerran kuussa", "palaveerata Teamsissa viikoittain"],
                details: [
                    "Sähköpostilla asiat hajoavat liian moneen viestiin.",
                    "Meille sopisi parhaiten tiistaiaamu, noin puoli tuntia.",
                    "Meiltä osallistuisivat markkinointipäällikkö ja toimitusjohtaja.",
                ],
                subjects: ["Palaverit", "Yhteistyön rytmi", "Viikkopalaveri"]
            ),
            ThemeSpec(
                id: "fi-campaign-profitability", label: "kampanjoiden kannattavuus", keywords: ["kannattav", "kampanj"], pattern: .rising,
                nouns: [
                    ["kampanjoiden kannattavuus", "kampanjoiden kannattavuutta", "kampanjoiden kannattavuuden", "kampanjoiden kannattavuudesta"],
                    ["mainonnan kannattavuus", "mainonnan kannattavuutta", "mainonnan kannattavuuden", "mainonnan kannattavuudesta"],
                    ["kannattavuuslaskelma", "kannattavuuslaskelmaa", "kannattavuuslaskelman", "kannattavuuslaskelmasta"],
                    ["markkinointipanostusten kannattavuus", "markkinointipanostusten kannattavuutta", "markkinointipanostusten kannattavuuden", "markkinointipanostusten kannattavuudesta"],
                    ["kanavakohtainen kannattavuus", "kanavakohtaista kannattavuutta", "kanavakohtaisen kannattavuuden", "kanavakohtaisesta kannattavuudesta"],
                ],
                verbs: ["laskea kampanjoiden kannattavuuden", "tietää, mitkä kampanjat ovat kannattavia", "arvioida mainonnan kannattavuutta euroissa", "verrata kanavien kannattavuutta"],
                details: [
                    "Hallitus kysyy, paljonko jokainen mainontaan käytetty euro tuottaa.",
                    "Katetiedot tuotteittain voimme toimittaa erikseen.",
                    "Ilman lukuja on vaikea perustella ensi vuoden markkinointirahoja.",
                ],
                subjects: ["Kannattavuus", "ROAS", "Kampanjoiden tulokset"]
            ),
            ThemeSpec(
                id: "fi-new-ad-channels", label: "uudet mainoskanavat", keywords: ["mainoskanav", "kanav"], pattern: .recurring,
                nouns: [
                    ["uusi mainoskanava", "uutta mainoskanavaa", "uuden mainoskanavan", "uudesta mainoskanavasta"],
                    ["uudet mainoskanavat", "uusia mainoskanavia", "uusien mainoskanavien", "uusista mainoskanavista"],
                    ["TikTok mainoskanavana", "TikTokia mainoskanavana", "TikTokin mainoskanavana", "TikTokista mainoskanavana"],
                    ["LinkedIn uutena mainoskanavana", "LinkedIniä uutena mainoskanavana", "LinkedInin uutena mainoskanavana", "LinkedInistä uutena mainoskanavana"],
                    ["podcastit mainoskanavana", "podcasteja mainoskanavana", "podcastien mainoskanavana", "podcasteista mainoskanavana"],
                ],
                verbs: ["kokeilla uusia mainoskanavia", "laajentaa mainontaa uuteen mainoskanavaan", "testata LinkedIniä mainoskanavana", "löytää uusi mainoskanava nuorempien asiakkaiden tavoittamiseen"],
                details: [
                    "Hakusanamainonta ei enää tuo samaa määrää yhteydenottoja kuin ennen.",
                    "Kilpailijat näkyvät paljon TikTokissa, joten haluamme kokeilla sitäkin.",
                    "Testiin voisimme varata pienen summan kuukaudeksi tai kahdeksi.",
                ],
                subjects: ["Uudet kanavat", "TikTok", "LinkedIn-mainonta"]
            ),
            ThemeSpec(
                id: "fi-accessibility", label: "saavutettavuus ja monikielisyys", keywords: ["saavutettav", "monikiel"], pattern: .oneOff,
                nouns: [
                    ["sivuston saavutettavuus", "sivuston saavutettavuutta", "sivuston saavutettavuuden", "sivuston saavutettavuudesta"],
                    ["saavutettavuusauditointi", "saavutettavuusauditointia", "saavutettavuusauditoinnin", "saavutettavuusauditoinnista"],
                    ["saavutettava ja monikielinen sivusto", "saavutettavaa ja monikielistä sivustoa", "saavutettavan ja monikielisen sivuston", "saavutettavasta ja monikielisestä sivustosta"],
                    ["verkkokaupan saavutettavuus", "verkkokaupan saavutettavuutta", "verkkokaupan saavutettavuuden", "verkkokaupan saavutettavuudesta"],
                ],
                verbs: ["tarkistaa sivuston saavutettavuuden", "tehdä sivustosta saavutettava ja monikielinen", "täyttää saavutettavuusdirektiivin vaatimukset"],
                details: [
                    "Saavutettavuusdirektiivin vaatimukset koskevat meitäkin ensi kesästä alkaen.",
                    "Lisäksi tarvitsemme ruotsin- ja englanninkieliset sivut.",
                ],
                subjects: ["Saavutettavuus", "Sivuston kieliversiot"]
            ),
        ],
        requestTemplates: [
            "Haluaisimme {vp}{ctx}.",
            "Tarvitsemme {par}{ctx}.",
            "Tarvitsisimme apua: {nom}{ctx}.",
            "Voisitteko kertoa lisää {ela}?",
            "Voisitteko auttaa meitä {vp}{ctx}?",
            "Olisiko mahdollista {vp}{ctx}?",
            "Meitä kiinnostaisi {nom}{ctx}.",
            "Haluaisimme keskustella {ela}{ctx}.",
            "Onko teillä kokemusta {ela}?",
            "{Gen} osalta meillä olisi pari kysymystä.",
            "Suunnittelemme {par}{ctx}.",
        ],
        noteTemplates: [
            "Asiakas haluaisi {vp}.",
            "Puhuttiin {ela}.",
            "Asiakas tarvitsee {par}{ctx}.",
            "Asiakas kysyi {ela}.",
            "Asiakas toivoo {par}, odottaa tarjousta.",
        ],
        contexts: ["", "", "", " ensi kuun aikana", " uusille sivuille", " ennen kesälomia", " mahdollisimman pian", " tämän vuoden puolella", " syksyn kampanjaa varten"],
        stageRemarks: [
            ["Kerroin, ettei tämä kuulu palveluihimme, ja suosittelin etsimään erikoistuneen tekijän.", "Toistaiseksi kieltäydyttiin, ei meidän alaamme."],
            ["Kieltäydyttiin taas, vaikka sama pyyntö tulee jo toista kertaa.", "Ei vielä, mutta aiheeseen pitäisi perehtyä."],
            ["Sovittiin pilotista.", "Otetaan työn alle ja lisätään palvelupakettiin.", "Tehdään samalla mallilla kuin muillekin asiakkaille."],
        ],
        chatter: [
            ChatterCategory(
                subjects: ["Tapaaminen", "Tapaamisen siirto", "Aikataulu"],
                sentences: [
                    "Sopisiko tapaaminen {weekday} klo {time}?",
                    "Voisimmeko siirtää tapaamista päivälle {date}?",
                    "Vahvistan tapaamisen {date} klo {time}.",
                    "Lähetän Teams-linkin edellisenä päivänä.",
                    "{Weekday} ei valitettavasti käy, mutta muut päivät sopivat.",
                    "Tulemme toimistollenne kahdestaan.",
                ]),
            ChatterCategory(
                subjects: ["Lasku", "Maksu", "Lasku {month}"],
                sentences: [
                    "Voisitteko lähettää laskun {monthabl}?",
                    "Lasku {num} on maksettu {date}.",
                    "Kirjanpitäjämme pyytää kopiota laskusta {num}.",
                    "Maksamme laskun eräpäivään mennessä.",
                    "Laskulla on vanha osoite, korjaisitteko sen?",
                ]),
            ChatterCategory(
                subjects: ["Aineistot", "Kuvat", "Tekstit", "Liitteet"],
                sentences: [
                    "Liitteenä {item}.",
                    "Uudet {item} löytyvät jaetusta kansiosta.",
                    "Voisitteko katsoa {itempar} ja kertoa, tarvitseeko jotain muuttaa?",
                    "{Item} on hyväksytty, voitte julkaista.",
                    "Valokuvaaja lupasi kuvat {date} mennessä.",
                    "Pari pientä korjausta merkitsin tiedostoon.",
                ]),
            ChatterCategory(
                subjects: ["Kiitos!", "Kiitokset", "Kaikki saatu"],
                sentences: [
                    "Kiitos nopeasta avusta!",
                    "Kiitos, saimme kaiken.",
                    "Lopputulos näyttää todella hyvältä, kiitos!",
                    "Kiitos hyvästä yhteistyöstä tänä vuonna.",
                    "Ensimmäiset tilaukset ovat jo tulleet, kiitos!",
                ]),
            ChatterCategory(
                subjects: ["Tiedoksi", "Loma", "Uusi yhteyshenkilö"],
                sentences: [
                    "Olen lomalla {date} asti, kiireellisissä asioissa voitte olla yhteydessä kollegaani {colleague}.",
                    "Uusi puhelinnumeromme on {phone}.",
                    "Toimisto on suljettu pyhien ajan.",
                    "Jatkossa yhteyshenkilönänne toimii {colleague}.",
                ]),
            ChatterCategory(
                subjects: ["Verkkosivut", "Virhe sivustolla", "Etusivun kuva"],
                sentences: [
                    "Yhteystietosivu ei aukea, voisitteko tarkistaa?",
                    "Päivitimme hinnat, tarkistaisitteko, että ne näkyvät oikein?",
                    "Vaihtakaa etusivun kuva uuteen, liitteenä.",
                    "Yhteydenottolomake ei toimi puhelimella.",
                    "Lisätkää etusivulle tieto {promo}.",
                ]),
        ],
        noteChatter: [
            "Käytiin läpi uusien bannereiden aikataulu.",
            "Asiakas vahvisti maksaneensa laskun.",
            "Sovittiin tapaaminen {date} klo {time}.",
            "Lähetetään asiakkaalle päivitetty hinnasto {date} mennessä.",
            "Asiakas on tyytyväinen viime kuun tuloksiin.",
            "Päivitetään tuotekuvat verkkosivuille.",
            "Asiakas pyysi vaihtamaan sivuston puhelinnumeron: {phone}.",
            "Hyväksytty: {item}.",
            "Loman ajan yhteyshenkilö: {colleague}.",
        ],
        slots: [
            "weekday": ["maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina"],
            "time": ["9.00", "10.00", "11.30", "13.00", "14.00", "15.30"],
            "item": ["tuotekuvat", "verkkosivujen tekstit", "bannerit", "logot", "esitteet"],
            "itempar": ["tuotekuvia", "verkkosivujen tekstejä", "bannereita", "logoja", "esitteitä"],
            "month": ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"],
            "monthabl": ["tammikuulta", "helmikuulta", "maaliskuulta", "huhtikuulta", "toukokuulta", "kesäkuulta", "heinäkuulta", "elokuulta", "syyskuulta", "lokakuulta", "marraskuulta", "joulukuulta"],
            "promo": ["kevään alennusmyynnistä", "uudesta mallistosta", "kesän aukioloajoista", "uuden myymälän avajaisista", "joulun toimitusajoista"],
        ],
        greetings: ["Hei!", "Hei {agent},", "Moi!", "Hyvää päivää,", "Hei kaikki,", "Moikka {agent}!"],
        signoffs: ["Ystävällisin terveisin,", "Terveisin,", "Kiitos ja mukavaa päivänjatkoa!", "Parhain terveisin,", "Kiitos jo etukäteen,"],
        openers: [
            "Kirjoitan verkkosivuihimme liittyen.",
            "Jatketaan projektin parissa.",
            "Olen {first} ja vastaan yrityksen {short} markkinoinnista.",
            "Minulla olisi kysymys.",
            "Saimme teidät suosituksena yhteistyökumppaniltamme.",
            "Toivottavasti teillä on kaikki hyvin.",
        ],
        closers: [
            "Milloin teille sopisi keskustella?",
            "Mitä tämä maksaisi ja missä ajassa?",
            "Voimme tarvittaessa soittaa.",
            "Lähettäisittekö ehdotuksenne?",
            "Jään odottamaan vastaustanne.",
        ],
        bumpLines: [
            "Muistuttelen alla olevasta viestistä. Onko uutisia?",
            "Ehditkö jo katsoa alla olevaa viestiäni?",
            "Palaan vielä alla olevaan kysymykseeni.",
            "En saanut vastausta, joten lähetän viestin uudelleen.",
        ],
        forwardLines: [
            "Lähetän viestin uudelleen, jos se jäi huomaamatta.",
            "Välitän viime viikon viestini, tarkensin sitä hieman.",
            "Tässä edellinen viestini, lisäsin pari yksityiskohtaa.",
        ],
        forwardHeader: "---------- Välitetty viesti ----------\nLähettäjä: {name} <{email}>\nPäivämäärä: {date}\nAihe: {subject}",
        attribution: "{date} klo {time} {name} <{email}> kirjoitti:",
        subjectRe: "VS: ",
        forwardSubject: "VL: ",
        legalFooters: [
            "Tämä sähköpostiviesti voi sisältää luottamuksellista tietoa. Jos olet saanut viestin erehdyksessä, ilmoita siitä lähettäjälle ja poista viesti.",
            "Viesti on tarkoitettu vain vastaanottajalle. Viestin luvaton käyttö ja levittäminen on kielletty.",
        ],
        unsubscribe: [
            "Saat tämän viestin, koska olet {company}:n asiakas. Peruuta tilaus: https://{domain}/peruuta",
            "Jos et halua enää viestejä, voit perua tilauksen osoitteessa https://{domain}/peruuta",
        ],
        mobileTags: ["Lähetetty iPhonesta", "Lähetetty Android-puhelimesta", "Hanki Outlook for iOS"],
        web: WebBoilerplate(
            loading: "Loading...",
            nav: "Etusivu | Palvelut | Referenssit | Blogi | Yhteystiedot",
            heading: "Uusi yhteydenotto lomakkeelta",
            fieldLabels: ("Yritys", "Nimi", "Sähköposti", "Puhelin", "Viesti"),
            afterForm: ["Jätä Kommentti", "Lähettämällä lomakkeen hyväksyt tietosuojaselosteen."],
            footer: ["© Kaiku Digital Oy. Kaikki oikeudet pidätetään.", "Tämä sivusto käyttää evästeitä.", "Tilaa uutiskirje | Peruuta tilaus"],
            titlePrefix: "Yhteydenotto"
        ),
        noteHeaders: ["Puhelu: {client}, {date}", "Tapaaminen asiakkaan {client} kanssa {date}", "Muistiinpanot: {client} ({date})"],
        noteKinds: [("call-notes", "Puhelu"), ("meeting", "Tapaaminen"), ("notes", "Muistiinpanot")],
        dayFormat: { day in
            let c = day.civil
            return "\(c.day).\(c.month).\(c.year)"
        },
        agencyName: "Kaiku Digital",
        agencyPerson: "Sanna",
        agencyAddress: "asiakkaat@kaikudigital.fi"
    )
}
