import { usePageTitle } from '../components/page-parts.js';

/** Where the data comes from and what it can and cannot be used for. */
export function AboutPage() {
  usePageTitle('About the data');
  return (
    <>
      <h1>About the data</h1>
      <p className="nhsuk-lede-text">
        NHS Oversight keeps the structure of the NHS in England over time, so figures can be read against the
        organisations as they were, or as they are now.
      </p>
      <h2>The structure</h2>
      <p>
        NHS England’s regions and integrated care systems are public facts this service carries itself. Its
        recorded history starts on 1 April 2016 with the five regions named in NHS England and NHS
        Improvement’s 2018 proposals (North of England; Midlands and East of England; London; South East;
        South West). On 1 April 2019 these became the seven integrated regions (London, South West, South
        East, Midlands, East of England, North West, North East and Yorkshire). On 1 July 2022 the 42
        sustainability and transformation partnerships (STPs) and integrated care systems became integrated
        care boards (ICBs), keeping their ODS codes.
      </p>
      <p>
        Before 2022 the systems are shown with names derived from their ICB names (for example “Devon
        STP/ICS”), because no published list of STP names is carried. Each system is shown in the region it
        joined in 2019, and before then in the earlier region that region came from.
      </p>
      <h2>Imported reference files</h2>
      <p>
        Organisation Data Service (ODS) files can be imported: the NHS trust extract with each trust’s region
        and ICB, and the ODS successor file, which records mergers, acquisitions and splits. ODS records only
        immediate successors and legal (not operational) dates; this service follows the chains. Where the
        successor file names a successor that is not known here and whose predecessor still has organisations
        under it (for example the April 2026 ICB mergers), the succession is kept but not applied until the
        new organisations are imported. Sectors of NHS trusts are not in the ODS extract: they are derived
        from the trust name where it makes them plain, and otherwise shown as not known.
      </p>
      <h2>Performance figures</h2>
      <p>
        Published statistics (A&amp;E attendances and 4-hour waits, general and acute and critical care beds,
        referral to treatment waits) are imported as published, with the file, its web address and a
        fingerprint recorded for every figure. A figure revised by a later file is kept alongside the one it
        replaces. Figures for organisation codes this service does not know are held back, not dropped or
        guessed, until someone says which organisation succeeded the code or that it is an independent
        provider.
      </p>
      <p>
        Percentages for an ICB, a region or England are calculated from the summed numerators and denominators
        of the organisations that reported everything the measure needs, never by averaging their percentages,
        and each figure says who did not report. Figures can be read under the structure of their own month,
        of a chosen date, or of today. The referral to treatment figures add every part type together, so they
        are not the official waiting-list measure. Where a measure’s definition changed (for example the
        A&amp;E series from April 2021 gives all department types together), each period uses the definition
        of its time and the page says so.
      </p>
      <h2>Who can see what</h2>
      <p>
        Published figures, the NHS structure and published returns are open to everyone. A return that is not
        published can be seen only by its organisation and those above it — its ICB, its region and national
        teams — as the structure stood in the month the return is for. Returns that belong to a statutory
        function kept separate by law, such as emergency preparedness, resilience and response, can be seen
        only by people granted that function. Every change, and every look at a return that is not published,
        is recorded in an audit trail that cannot be edited without it showing.
      </p>
      <h2>Demonstration data</h2>
      <p>
        A new installation starts with a generated demonstration dataset: the real regions and ICBs, with
        invented trusts, commissioners, practices and changes. Every page that shows it carries a banner, and
        generated organisations are tagged “Generated”. Do not use demonstration data for decisions.
      </p>
      <h2>Licence</h2>
      <p>
        Published NHS data is © NHS England and NHS Digital, available under the Open Government Licence v3.0.
      </p>
    </>
  );
}
