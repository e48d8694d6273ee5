ALTER TABLE `scans` ADD `advisories_known` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Scans stored before this column: their report says whether the dependency audit could answer for every package.
UPDATE `scans` SET `advisories_known` = false
WHERE `report` IS NOT NULL AND (
  EXISTS (
    SELECT 1 FROM json_each(`scans`.`report`, '$.checks') AS run
    WHERE json_extract(run.value, '$.id') = 'dependencies' AND json_extract(run.value, '$.status') = 'unavailable'
  ) OR EXISTS (
    SELECT 1 FROM json_each(`scans`.`report`, '$.checklist') AS item
    WHERE json_extract(item.value, '$.id') = 'operations.dependencies-patched' AND json_extract(item.value, '$.status') = 'unknown'
  )
);
